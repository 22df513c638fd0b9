public import Foundation
import Synchronization

// MARK: - PersistentMap

/// A string-to-string map kept in memory and appended to a file, so a writer's caches (email -> CRM lead id)
/// survive a restart and a restart spends no API calls on lookups.
///
/// The file is a log of `key TAB value` lines (tab, newline and backslash escaped; a removal is a key with no
/// tab). Opening replays it and rewrites it compactly when it holds more dead lines than live ones. Writes are
/// buffered and reach the file on ``flush()``; the runtime flushes before it commits offsets, so a crash loses
/// at most what the next delivery re-learns.
public final class PersistentMap: Sendable {
    /// The file, or nil for a map that lives in memory only.
    public let file: URL?
    private let state: Mutex<State>

    private struct State {
        var entries: [String: String] = [:]
        var pending: [UInt8] = []
        var handle: FileHandle?
    }

    /// Opens (or creates) the map at `file`; nil keeps it in memory.
    /// - Throws: ``PersistentMapError`` when the file cannot be read or written.
    public init(file: URL?) throws(PersistentMapError) {
        self.file = file
        var state = State()
        if let file {
            do {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                var lines = 0
                if FileManager.default.fileExists(atPath: file.path) {
                    let data = try Data(contentsOf: file)
                    lines = PersistentMap.replay(data, into: &state.entries)
                }
                if lines > 2 * state.entries.count + 1024 || !FileManager.default.fileExists(atPath: file.path) {
                    try PersistentMap.rewrite(state.entries, to: file)
                }
                let handle = try FileHandle(forWritingTo: file)
                try handle.seekToEnd()
                state.handle = handle
            } catch {
                throw PersistentMapError(file: file, message: "\(error)")
            }
        }
        self.state = Mutex(state)
    }

    deinit {
        state.withLock { state in try? state.handle?.close() }
    }

    /// The value of `key`.
    public subscript(key: String) -> String? {
        state.withLock { $0.entries[key] }
    }

    /// The values of several keys at once (one lock), nil where absent.
    public func values(for keys: [String]) -> [String?] {
        state.withLock { state in keys.map { state.entries[$0] } }
    }

    /// Sets `key` to `value` (nil removes it).
    public func set(_ key: String, _ value: String?) {
        setAll([(key, value)])
    }

    /// Sets several keys at once.
    public func setAll(_ pairs: [(key: String, value: String?)]) {
        state.withLock { state in
            for (key, value) in pairs {
                if state.entries[key] == value { continue }
                state.entries[key] = value
                guard state.handle != nil else { continue }
                PersistentMap.appendLine(key: key, value: value, to: &state.pending)
            }
        }
    }

    /// Removes the entries `predicate` selects and returns how many there were.
    @discardableResult
    public func removeAll(where predicate: (_ key: String, _ value: String) -> Bool) -> Int {
        state.withLock { state in
            let doomed = state.entries.filter { predicate($0.key, $0.value) }.map(\.key)
            for key in doomed {
                state.entries[key] = nil
                if state.handle != nil { PersistentMap.appendLine(key: key, value: nil, to: &state.pending) }
            }
            return doomed.count
        }
    }

    /// The number of keys.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Writes buffered changes to the file.
    /// - Throws: ``PersistentMapError`` when the write fails (the changes stay buffered).
    public func flush() throws(PersistentMapError) {
        let failure = state.withLock { state -> String? in
            guard let handle = state.handle, !state.pending.isEmpty else { return nil }
            do {
                try handle.write(contentsOf: state.pending)
                state.pending.removeAll(keepingCapacity: true)
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure, let file { throw PersistentMapError(file: file, message: failure) }
    }

    // MARK: File format

    private static func appendLine(key: String, value: String?, to buffer: inout [UInt8]) {
        escape(key, into: &buffer)
        if let value {
            buffer.append(UInt8(ascii: "\t"))
            escape(value, into: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    private static func escape(_ text: String, into buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: buffer.append(byte)
            }
        }
    }

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                default: out.append(byte)
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Applies every complete line; a torn last line (a crash mid-write) is ignored. Returns the line count.
    private static func replay(_ data: Data, into entries: inout [String: String]) -> Int {
        let bytes = [UInt8](data)
        var lines = 0
        var lineStart = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            let line = bytes[lineStart..<index]
            lineStart = index + 1
            lines += 1
            if let tab = line.firstIndex(of: UInt8(ascii: "\t")) {
                entries[unescape(line[line.startIndex..<tab])] = unescape(line[(tab + 1)...])
            } else {
                entries[unescape(line)] = nil
            }
        }
        return lines
    }

    private static func rewrite(_ entries: [String: String], to file: URL) throws {
        var buffer: [UInt8] = []
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            appendLine(key: key, value: value, to: &buffer)
        }
        let temporary = file.appendingPathExtension("tmp")
        try Data(buffer).write(to: temporary)
        if FileManager.default.fileExists(atPath: file.path) {
            _ = try FileManager.default.replaceItemAt(file, withItemAt: temporary)
        } else {
            try FileManager.default.moveItem(at: temporary, to: file)
        }
    }
}

/// A ``PersistentMap`` file could not be read or written.
public struct PersistentMapError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var file: URL
    /// What went wrong.
    public var message: String

    public var description: String { "cannot use the cache file \(file.path): \(message)" }
}
