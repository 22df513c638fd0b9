import Foundation

/// The last record of every fold transaction on a changelog partition: where the task's inputs stand and where its
/// outputs may continue, so that a restore knows which state records committed and which outputs to look for.
///
/// See docs/exactly-once.md: on a broker that hides aborted transactions the token logic is redundant; on
/// librdkafka's mock cluster, which shows them, it is what keeps a restore exact.
struct FoldCheckpoint: Codable, Sendable, Hashable {
    /// The transaction this checkpoint closes; the token of every state record the transaction wrote.
    var token: String
    /// Tokens of transactions found uncommitted at the restore before this transaction: their state records,
    /// earlier in the log, are never applied.
    var abandoned: [String]
    /// Input topic -> offset of the next record to fold, for this partition.
    var inputs: [String: Int64]
    /// Output topic -> an offset at or before which every output written after this checkpoint lands.
    var outputs: [String: Int64]
    /// Wall-clock milliseconds when the transaction was committed (for operators).
    var committedAt: Int64

    /// The key of checkpoint records: lead keys never start with a NUL byte.
    static let key: [UInt8] = [0] + Array("checkpoint".utf8)

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? Array(encoder.encode(self))) ?? []
    }

    static func decode(_ bytes: [UInt8]) throws(ChangelogError) -> FoldCheckpoint {
        do {
            return try JSONDecoder().decode(FoldCheckpoint.self, from: Data(bytes))
        } catch {
            throw ChangelogError(kind: .corruptCheckpoint, detail: "\(error)")
        }
    }
}
