import Foundation
import Synchronization

/// Marketo-style request ids: a short hex serial, `#`, the epoch milliseconds in hex (`e42b#14272d07d78`).
enum RequestID {
    private static let serial = Mutex<UInt32>(0xE42B)

    static func next(now: Date = Date()) -> String {
        let n = serial.withLock { value -> UInt32 in
            value = value &+ 0x1F
            if value > 0xFFFFF || value < 0x1000 { value = 0x1000 + value % 0xF000 }
            return value
        }
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        return String(n, radix: 16) + "#" + String(millis, radix: 16)
    }
}
