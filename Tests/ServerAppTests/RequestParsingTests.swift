import Logging
import ServerApp
import Testing
import WebAPI

/// The hand-written parsers of the request path (no Foundation string search): the session cookie
/// and the log line.
@Suite("Request parsing: session cookie, log lines")
struct RequestParsingTests {
    @Test(arguments: [
        ("session_id=abc", "abc"),
        ("a=1; session_id=abc; b=2", "abc"),
        ("a=1;session_id=abc", "abc"),
        ("a=1;\t  session_id=abc", "abc"),
        ("xsession_id=1; session_id=ok", "ok"),
        ("session_idx=1; session_id=ok", "ok"),
        ("session_id=first; session_id=second", "first"),
        ("session_id=", ""),
        ("junk; =; session_id=a=b", "a=b"),
    ])
    func sessionCookieIsFound(header: String, expected: String) {
        #expect(SessionCookie.value(of: "session_id", inCookieHeader: header) == expected)
    }

    @Test(arguments: ["", "a=1", "a=1; b=2", "session_id", ";;;", "Session_ID=abc"])
    func absentSessionCookie(header: String) {
        #expect(SessionCookie.value(of: "session_id", inCookieHeader: header) == nil)
    }

    @Test func logLineCarriesSortedMetadataAndTheMessage() {
        var handler = ServerLogHandler(label: "woow")
        handler[metadataKey: "request.id"] = "1f-2"
        handler[metadataKey: "a"] = "first"
        let event = LogEvent(
            level: .warning, message: "disk almost full", metadata: ["a": "override", "z": "last"], source: "WebAPI",
            file: #fileID, function: #function, line: #line)
        let line = handler.line(for: event)
        #expect(line.hasSuffix(" warning woow : a=override request.id=1f-2 z=last [WebAPI] disk almost full\n"))
        let timestamp = line.prefix { $0 != " " }
        #expect(timestamp.count == 20 && timestamp.hasSuffix("Z") && timestamp.dropFirst(10).hasPrefix("T"))
        // Setting metadata does not format anything: the handler keeps it as given.
        #expect(handler[metadataKey: "request.id"] == "1f-2")
    }
}
