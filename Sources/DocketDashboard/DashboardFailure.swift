import Docket
import HTTPTypes
import Hummingbird

/// Why a request failed, as the error page says it: a status and a sentence that says what was
/// wrong and what to do. It never carries a secret: the token, cookies and headers are never part
/// of a message.
struct DashboardFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String

    init(status: HTTPResponse.Status, title: String, message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    static func badRequest(_ message: String) -> DashboardFailure {
        DashboardFailure(status: .badRequest, title: "Bad request", message: message)
    }

    static func notFound(_ message: String) -> DashboardFailure {
        DashboardFailure(status: .notFound, title: "Not found", message: message)
    }

    static let readOnly = DashboardFailure(
        status: .forbidden, title: "Read-only",
        message: "This dashboard was started with --read-only: it shows the journal and changes nothing.")

    static let badCSRF = DashboardFailure(
        status: .forbidden, title: "Form expired",
        message: "The form did not carry this dashboard's CSRF token (a page from another site, or from an earlier run of the dashboard). Reload the page and try again.")

    /// The page for an error thrown while serving a request.
    init(_ error: any Error) {
        switch error {
        case let failure as DashboardFailure:
            self = failure
        case let error as DocketError:
            self.init(error)
        case let error as HTTPError where error.status == .contentTooLarge:
            self.init(status: .contentTooLarge, title: "Request too large", message: "The form is larger than this dashboard accepts.")
        case let error as HTTPError where error.status == .notFound:
            self.init(status: .notFound, title: "Not found", message: "There is no page at this address.")
        case let error as HTTPError where (400..<500).contains(error.status.code):
            self.init(status: error.status, title: error.status.reasonPhrase, message: "The request was refused.")
        default:
            self.init(
                status: .internalServerError, title: "Dashboard error",
                message: "The dashboard could not answer this request; its log says why.")
        }
    }

    /// A Docket error as its status: 404 for what does not exist (job, schedule, queue), 409 for a job or schedule not in
    /// a state the action needs, 400 for a refused value, 500 (503 when busy) for the journal.
    init(_ error: DocketError) {
        let text = "\(error)"
        switch error {
        case .jobNotFound, .scheduleNotFound, .queueNotFound:
            self.init(status: .notFound, title: "Not found", message: text)
        case .jobNotScheduled, .jobNotCancellable, .jobNotRetryable, .uniqueKeyHeld, .scheduleExists, .scheduleDeclaredInCode:
            self.init(status: .conflict, title: "Not possible now", message: text)
        case .invalidInput, .encodingFailed, .duplicateHandler:
            self.init(status: .badRequest, title: "Bad request", message: text)
        case .storage(let failure) where failure.kind == .busy:
            self.init(status: .serviceUnavailable, title: "Journal busy", message: text)
        default:
            self.init(status: .internalServerError, title: "Journal error", message: text)
        }
    }
}
