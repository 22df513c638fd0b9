import CCurl

// MARK: - CurlGlobal

/// libcurl's process-wide initialisation, done once before the first handle (FoundationNetworking may have done
/// it already; libcurl counts the calls).
enum CurlGlobal {
    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// Makes sure libcurl is initialised; false when it could not be.
    static func ensureInitialised() -> Bool { initialised }

    /// libcurl's version text, e.g. `libcurl/7.88.1 OpenSSL/3.0.15 ...`.
    static var version: String { String(cString: curl_version()) }
}
