import CCurl
import Foundation
import Synchronization

// MARK: - CurlMultiLoop

/// One thread driving every transfer of a ``CurlTransport`` through one libcurl multi handle: its connection pool
/// is shared by the transfers, and waiting costs no thread per request and no busy loop (`curl_multi_poll` sleeps
/// until a socket is ready, a timer is due or ``submit(_:)`` wakes it).
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [UInt64] = []
        var stopping = false
    }

    private let multi: CurlMultiHandle
    private let inbox = Mutex(Inbox())
    /// Transfers libcurl is driving, by id. Touched only on the loop thread.
    private var active: [UInt64: CurlTransfer] = [:]

    /// Creates the multi handle and starts the thread; nil when libcurl has no multi handle.
    init?(name: String, maxCachedConnections: Int) {
        guard let multi = CurlMultiHandle() else { return nil }
        self.multi = multi
        _ = lsc_multi_setopt_long(multi.pointer, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        // Linux keeps 15 characters of a thread name (`top -H`, `/proc/<pid>/task/*/comm`).
        let threadName = String("leadsync-curl-\(name)".prefix(15))
        let thread = Thread { [self] in
            // Set from inside the thread, the name reaches the operating system too.
            Thread.current.name = threadName
            self.run()
        }
        thread.name = threadName
        thread.start()
    }

    /// Hands a configured transfer to the loop.
    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.added.append(transfer)
            return true
        }
        guard accepted else {
            transfer.fail(
                HTTPTransportError(kind: .cancelled, mayHaveBeenProcessed: false, message: "the transport is closed")
            )
            return
        }
        curl_multi_wakeup(multi.pointer)
    }

    /// Aborts a transfer (its task was cancelled); the waiting task gets ``HTTPTransportError/Kind/cancelled``.
    func cancel(_ id: UInt64) {
        inbox.withLock { $0.cancelled.append(id) }
        curl_multi_wakeup(multi.pointer)
    }

    /// Lets the thread end once the transfers it has are done.
    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi.pointer)
    }

    private func run() {
        while true {
            let (added, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.added = []
                    inbox.cancelled = []
                }
                return (inbox.added, inbox.cancelled, inbox.stopping)
            }
            for transfer in added {
                if curl_multi_add_handle(multi.pointer, transfer.easy.pointer) == CURLM_OK {
                    active[transfer.id] = transfer
                } else {
                    transfer.fail(
                        HTTPTransportError(
                            kind: .other,
                            mayHaveBeenProcessed: false,
                            message: "libcurl refused the transfer"
                        )
                    )
                }
            }
            for id in cancelled {
                guard let transfer = active.removeValue(forKey: id) else { continue }
                curl_multi_remove_handle(multi.pointer, transfer.easy.pointer)
                transfer.fail(
                    HTTPTransportError(
                        kind: .cancelled,
                        mayHaveBeenProcessed: transfer.bodyPosition > 0,
                        message: "the calling task was cancelled"
                    )
                )
            }
            if stopping && active.isEmpty { return }
            var running: Int32 = 0
            curl_multi_perform(multi.pointer, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi.pointer, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                var pointer: UnsafeMutableRawPointer?
                _ = lsc_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &pointer)
                let code = lsc_message_result(message)
                curl_multi_remove_handle(multi.pointer, handle)
                guard let pointer else { continue }
                let transfer = CurlCallbacks.transfer(pointer)
                active[transfer.id] = nil
                transfer.finish(code)
            }
            curl_multi_poll(multi.pointer, nil, 0, 1_000, nil)
        }
    }
}
