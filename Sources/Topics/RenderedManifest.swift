/// One file of a rendered kustomize directory: its name (no directory) and its full text.
public struct RenderedManifest: Sendable, Hashable {
    /// The file's name inside its directory, such as `attendee.events.yaml`.
    public var fileName: String
    /// The file's text, ending with a line break.
    public var contents: String

    /// Creates a rendered file.
    public init(fileName: String, contents: String) {
        self.fileName = fileName
        self.contents = contents
    }
}
