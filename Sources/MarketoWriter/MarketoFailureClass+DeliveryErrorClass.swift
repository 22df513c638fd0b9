import Delivery
import Marketo

extension MarketoFailureClass {
    /// The runtime's class for a Marketo failure class.
    var deliveryErrorClass: DeliveryErrorClass {
        switch self {
        case .retry: .transient
        case .reauth: .authentication
        case .rateLimited: .rateLimited
        case .quotaExhausted: .quotaExhausted
        case .permanent: .permanent
        }
    }
}
