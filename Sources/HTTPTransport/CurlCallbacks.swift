import CCurl

// MARK: - CurlCallbacks

/// The C callbacks libcurl calls during a transfer, in one place. Each gets the transfer as an unretained pointer
/// (``CurlMultiLoop`` holds the strong reference while the transfer is added), so no callback retains or releases.
enum CurlCallbacks {
    /// The pointer libcurl hands back to the callbacks and through `CURLINFO_PRIVATE`.
    static func userData(_ transfer: CurlTransfer) -> UnsafeMutableRawPointer {
        Unmanaged.passUnretained(transfer).toOpaque()
    }

    /// The transfer behind a pointer from ``userData(_:)``.
    static func transfer(_ pointer: UnsafeMutableRawPointer) -> CurlTransfer {
        Unmanaged<CurlTransfer>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Installs the read, seek, write and header callbacks with their data on a handle.
    static func install(on easy: CurlEasyHandle, userData: UnsafeMutableRawPointer) -> Bool {
        let handle = easy.pointer
        var ok = lsc_easy_setopt_read_function(handle, read) == CURLE_OK
        ok = lsc_easy_setopt_pointer(handle, CURLOPT_READDATA, userData) == CURLE_OK && ok
        ok = lsc_easy_setopt_seek_function(handle, seek) == CURLE_OK && ok
        ok = lsc_easy_setopt_pointer(handle, CURLOPT_SEEKDATA, userData) == CURLE_OK && ok
        ok = lsc_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, write) == CURLE_OK && ok
        ok = lsc_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, userData) == CURLE_OK && ok
        ok = lsc_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, header) == CURLE_OK && ok
        ok = lsc_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, userData) == CURLE_OK && ok
        ok = lsc_easy_setopt_xferinfo_function(handle, progress) == CURLE_OK && ok
        ok = lsc_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, userData) == CURLE_OK && ok
        ok = lsc_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0) == CURLE_OK && ok
        return ok
    }

    /// Called by libcurl at least once a second while a transfer runs: a non-zero answer aborts it (the transfer
    /// decides: no byte moved for the low-speed window).
    private static let progress: curl_xferinfo_callback = { userData, _, downloaded, _, uploaded in
        guard let userData else { return 0 }
        return transfer(userData).progress(downloaded: Int64(downloaded), uploaded: Int64(uploaded)) ? 0 : 1
    }

    private static let read: curl_read_callback = { buffer, size, count, userData in
        guard let buffer, let userData else { return Int(CURL_READFUNC_ABORT) }
        let target = UnsafeMutableRawBufferPointer(start: buffer, count: size * count)
        return transfer(userData).readBody(into: target)
    }

    private static let seek: curl_seek_callback = { userData, offset, origin in
        guard let userData, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_FAIL) }
        return transfer(userData).rewindBody(to: Int64(offset)) ? Int32(CURL_SEEKFUNC_OK) : Int32(CURL_SEEKFUNC_FAIL)
    }

    private static let write: curl_write_callback = { bytes, size, count, userData in
        guard let userData else { return 0 }
        let length = size * count
        if let bytes, length > 0 {
            transfer(userData).receiveBody(UnsafeRawBufferPointer(start: bytes, count: length))
        }
        return length
    }

    private static let header: curl_write_callback = { bytes, size, count, userData in
        guard let userData else { return 0 }
        let length = size * count
        if let bytes, length > 0 {
            transfer(userData).receiveHeader(UnsafeRawBufferPointer(start: bytes, count: length))
        }
        return length
    }
}
