public import Foundation

// MARK: - StrimziManifestDirectory

/// A directory of rendered manifests (`k8s/base/topics/`): writes a fresh render into it and tells how a committed
/// render differs from a fresh one.
///
/// Only files whose first line is ``StrimziTopicRenderer/generatedMarker`` belong to the render: they are replaced
/// or, when their topic is gone from `topics/`, removed. Any other file in the directory is left alone.
public struct StrimziManifestDirectory: Sendable {
    /// One way a directory differs from a fresh render.
    public enum Difference: Sendable, Hashable, CustomStringConvertible {
        /// A rendered file is not in the directory.
        case missing(fileName: String)
        /// The directory's file differs from the render; `line` is the first differing line (1-based).
        case changed(fileName: String, line: Int)
        /// A generated file in the directory has no counterpart in the render (its topic was removed).
        case stale(fileName: String)

        /// The file the difference is about.
        public var fileName: String {
            switch self {
            case .missing(let fileName), .changed(let fileName, _), .stale(let fileName): fileName
            }
        }

        /// What differs, for a person.
        public var description: String {
            switch self {
            case .missing(let fileName): "\(fileName): missing"
            case .changed(let fileName, let line): "\(fileName): differs from a fresh render from line \(line)"
            case .stale(let fileName): "\(fileName): generated for a topic that topics/ no longer defines"
            }
        }
    }

    /// A directory that cannot be read or written, with the path and the reason.
    public struct AccessError: Error, Sendable, CustomStringConvertible {
        /// The file or directory.
        public var path: String
        /// What went wrong.
        public var reason: String

        /// The path and the reason.
        public var description: String { "\(path): \(reason)" }
    }

    /// The directory.
    public let url: URL

    /// A directory of manifests at `url` (it need not exist yet).
    public init(url: URL) {
        self.url = url
    }

    /// Writes `manifests`, replacing generated files and removing generated files that are no longer rendered.
    /// - Returns: The names of the files written or removed because they differed, sorted.
    /// - Throws: ``AccessError`` naming the file that could not be written or removed.
    @discardableResult
    public func write(_ manifests: [RenderedManifest]) throws(AccessError) -> [String] {
        let changes = try differences(from: manifests)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw AccessError(path: url.path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let byName = Dictionary(uniqueKeysWithValues: manifests.map { ($0.fileName, $0) })
        for change in changes {
            switch change {
            case .missing(let fileName), .changed(let fileName, _):
                let file = url.appendingPathComponent(fileName)
                do {
                    try Data((byName[fileName]?.contents ?? "").utf8).write(to: file, options: .atomic)
                } catch {
                    throw AccessError(path: file.path, reason: "cannot write: \(error.localizedDescription)")
                }
            case .stale(let fileName):
                let file = url.appendingPathComponent(fileName)
                do {
                    try FileManager.default.removeItem(at: file)
                } catch {
                    throw AccessError(path: file.path, reason: "cannot remove: \(error.localizedDescription)")
                }
            }
        }
        return changes.map(\.fileName).sorted()
    }

    /// How the directory differs from `manifests`; empty when it holds exactly that render.
    /// - Throws: ``AccessError`` when the directory exists but cannot be listed or a file cannot be read.
    public func differences(from manifests: [RenderedManifest]) throws(AccessError) -> [Difference] {
        let existing = try generatedFiles()
        var differences: [Difference] = []
        for manifest in manifests.sorted(by: { $0.fileName < $1.fileName }) {
            let file = url.appendingPathComponent(manifest.fileName)
            guard FileManager.default.fileExists(atPath: file.path) else {
                differences.append(.missing(fileName: manifest.fileName))
                continue
            }
            let text = try read(file)
            if text != manifest.contents {
                differences.append(
                    .changed(fileName: manifest.fileName, line: Self.firstDifferingLine(text, manifest.contents))
                )
            }
        }
        let rendered = Set(manifests.map(\.fileName))
        for fileName in existing.sorted() where !rendered.contains(fileName) {
            differences.append(.stale(fileName: fileName))
        }
        return differences
    }

    /// Names of the files in the directory that a render wrote (first line is the marker).
    private func generatedFiles() throws(AccessError) -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw AccessError(path: url.path, reason: "cannot list: \(error.localizedDescription)")
        }
        var generated: [String] = []
        for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let text = try read(url.appendingPathComponent(name))
            if text.hasPrefix(StrimziTopicRenderer.generatedMarker) { generated.append(name) }
        }
        return generated
    }

    private func read(_ file: URL) throws(AccessError) -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw AccessError(path: file.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    static func firstDifferingLine(_ left: String, _ right: String) -> Int {
        let leftLines = left.split(separator: "\n", omittingEmptySubsequences: false)
        let rightLines = right.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(leftLines.count, rightLines.count) {
            let a = index < leftLines.count ? leftLines[index] : nil
            let b = index < rightLines.count ? rightLines[index] : nil
            if a != b { return index + 1 }
        }
        return max(leftLines.count, rightLines.count)
    }
}
