import CCurl

// MARK: - CurlEasyHandle

/// Owns one libcurl easy handle and its error buffer; both are freed in deinit.
///
/// Only the thread that runs the transfer touches it while it is added to a multi handle.
final class CurlEasyHandle {
    /// The easy handle.
    let pointer: UnsafeMutableRawPointer
    /// libcurl writes a transfer's error text here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a handle; nil when libcurl cannot (out of memory, not initialised).
    init?() {
        guard CurlGlobal.ensureInitialised(), let handle = curl_easy_init() else { return nil }
        pointer = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = lsc_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(pointer)
        errorBuffer.deallocate()
    }

    /// Sets a numeric option; false when libcurl refused it.
    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> Bool {
        lsc_easy_setopt_long(pointer, option, value) == CURLE_OK
    }

    /// Sets a text option (libcurl copies it).
    @discardableResult
    func set(_ option: CURLoption, _ value: String) -> Bool {
        value.withCString { lsc_easy_setopt_string(pointer, option, $0) } == CURLE_OK
    }

    /// Sets a pointer option (callback data, private data).
    @discardableResult
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) -> Bool {
        lsc_easy_setopt_pointer(pointer, option, value) == CURLE_OK
    }

    /// Sets a size option of type `curl_off_t`.
    @discardableResult
    func set(_ option: CURLoption, size value: Int64) -> Bool {
        lsc_easy_setopt_off(pointer, option, curl_off_t(value)) == CURLE_OK
    }

    /// Sets the header list (owned by the caller, which must keep it alive during the transfer).
    @discardableResult
    func set(headers: CurlHeaderList) -> Bool {
        lsc_easy_setopt_slist(pointer, CURLOPT_HTTPHEADER, headers.pointer) == CURLE_OK
    }

    /// A numeric `CURLINFO` value, or nil when libcurl has none.
    func info(_ info: CURLINFO) -> Int? {
        var value = 0
        return lsc_easy_getinfo_long(pointer, info, &value) == CURLE_OK ? value : nil
    }

    /// A `curl_off_t` `CURLINFO` value (sizes, microsecond times), or nil.
    func info(offset info: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        return lsc_easy_getinfo_off(pointer, info, &value) == CURLE_OK ? Int64(value) : nil
    }

    /// The error text libcurl left for the last transfer, or its generic text for `code`.
    func errorText(for code: CURLcode) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
    }
}

// MARK: - CurlHeaderList

/// Owns one `curl_slist` of header lines; freed in deinit.
final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    /// Builds the list from `Name: value` lines.
    init(_ lines: [String]) {
        for line in lines {
            pointer = line.withCString { curl_slist_append(pointer, $0) }
        }
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}

// MARK: - CurlMultiHandle

/// Owns one libcurl multi handle (a connection pool and the transfers it drives); freed in deinit.
final class CurlMultiHandle {
    let pointer: UnsafeMutableRawPointer

    init?() {
        guard CurlGlobal.ensureInitialised(), let handle = curl_multi_init() else { return nil }
        pointer = handle
    }

    deinit {
        curl_multi_cleanup(pointer)
    }
}
