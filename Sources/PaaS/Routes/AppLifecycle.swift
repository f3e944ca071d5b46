import WebAPI

/// The cloud-app state machine: which action is legal in which status, the status it
/// leads to, and the worker job it queues.
///
/// | action | from | to | job |
/// |---|---|---|---|
/// | `start` | `stopped`, `error` | `deploying` | `app.start` |
/// | `stop` | `running`, `deploying` | `stopped` | (queued jobs cancelled) |
/// | `restart` | `running` | `deploying` | `app.restart` |
/// | `delete` | any | (deleted) | (queued jobs cancelled) |
///
/// Any other move is refused with `CONFLICT` and a message saying why ("App is already running").
public enum AppLifecycle {
    /// An action a client may ask for.
    public enum Action: String, Sendable, CaseIterable {
        case start, stop, restart, delete
    }

    /// What an allowed action does.
    public struct Transition: Sendable, Hashable {
        /// The new status, `nil` when the app is deleted.
        public let status: String?
        /// The job to queue for the worker, if any.
        public let job: String?
    }

    /// The transition of `action` from `status`, or `CONFLICT` when the move is illegal.
    public static func transition(_ action: Action, from status: String) throws -> Transition {
        switch (action, status) {
        case (.start, "stopped"), (.start, "error"):
            return Transition(status: "deploying", job: DeploymentJob.start)
        case (.start, "running"):
            throw AppError(.conflict, "App is already running")
        case (.start, "deploying"):
            throw AppError(.conflict, "App is already being deployed")
        case (.stop, "running"), (.stop, "deploying"):
            return Transition(status: "stopped", job: nil)
        case (.stop, "stopped"):
            throw AppError(.conflict, "App is already stopped")
        case (.stop, "error"):
            throw AppError(.conflict, "App is not running (its deployment failed); start or delete it")
        case (.restart, "running"):
            return Transition(status: "deploying", job: DeploymentJob.restart)
        case (.restart, "deploying"):
            throw AppError(.conflict, "App is still being deployed; restart it once it is running")
        case (.restart, _):
            throw AppError(.conflict, "App is not running; start it instead")
        case (.delete, _):
            return Transition(status: nil, job: nil)
        default:
            throw AppError(.conflict, "App cannot \(action.rawValue) while \(status)")
        }
    }
}
