/// The identity service's answer (not wrapped in the envelope).
struct MarketoWireToken: Decodable {
    var accessToken: String?
    var tokenType: String?
    var expiresIn: Int?
    var scope: String?
    var error: String?
    var errorDescription: String?

    private enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
        case error
        case errorDescription = "error_description"
    }
}
