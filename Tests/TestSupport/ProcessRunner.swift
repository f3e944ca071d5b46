import Foundation
import ServerApp

/// Runs a program to completion on a thread of its own, so the cooperative pool stays free to
/// serve the requests the program makes to a server running in the same test process.
public enum ProcessRunner {
    /// Runs `command` and returns its exit status and combined output.
    public static func run(_ command: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try ChildProcess.run(command))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }
}
