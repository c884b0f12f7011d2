extension RetryStrategy {
    /// A stable text form for journals, such as a job's per-job retry override.
    ///
    /// The forms, with durations in whole microseconds (the journal's resolution):
    ///
    /// | Strategy | Text |
    /// |---|---|
    /// | `.exponential(base: .seconds(1), factor: 2, cap: .seconds(3600), jitter: 0.1)` | `exp:1000000,2.0,3600000000,0.1` |
    /// | `.fixed(.seconds(5))` | `fixed:5000000` |
    /// | `.ladder([.zero, .seconds(5)])` | `ladder:0,5000000` (an empty ladder is `ladder:`) |
    /// | `.none` | `none` |
    ///
    /// The tag before the colon versions the form: a later layout gets a new tag, and the ones above
    /// keep meaning what they mean, so old journals stay readable. Doubles are written with Swift's
    /// shortest round-tripping `description`, so ``init(storageText:)`` restores them bit for bit;
    /// durations with sub-microsecond parts are truncated to whole microseconds.
    ///
    /// - Complexity: O(*s*) for a ladder of *s* steps, O(1) otherwise.
    package var storageText: String {
        switch self {
        case .exponential(let base, let factor, let cap, let jitter):
            "exp:\(base.microseconds),\(factor.description),\(cap.microseconds),\(jitter.description)"
        case .fixed(let delay):
            "fixed:\(delay.microseconds)"
        case .ladder(let steps):
            "ladder:" + steps.map { String($0.microseconds) }.joined(separator: ",")
        case .none:
            "none"
        }
    }

    /// Reads the form ``storageText`` writes; nil for anything else.
    ///
    /// Parsing is strict so that a corrupted override is noticed rather than half-read: no spaces,
    /// no `+` signs, no missing or extra fields, no unknown tags.
    ///
    /// - Complexity: O(*n*) in the length of `storageText`.
    package init?(storageText: String) {
        guard let colon = storageText.firstIndex(of: ":") else {
            guard storageText == "none" else { return nil }
            self = .none
            return
        }
        let tag = storageText[..<colon]
        let body = storageText[storageText.index(after: colon)...]
        let fields = body.split(separator: ",", omittingEmptySubsequences: false)
        switch tag {
        case "exp":
            guard fields.count == 4,
                let base = Self.parseMicroseconds(fields[0]),
                let factor = Self.parseDouble(fields[1]),
                let cap = Self.parseMicroseconds(fields[2]),
                let jitter = Self.parseDouble(fields[3])
            else { return nil }
            self = .exponential(base: base, factor: factor, cap: cap, jitter: jitter)
        case "fixed":
            guard fields.count == 1, let delay = Self.parseMicroseconds(fields[0]) else { return nil }
            self = .fixed(delay)
        case "ladder":
            if body.isEmpty {
                self = .ladder([])
                return
            }
            var steps: [Duration] = []
            steps.reserveCapacity(fields.count)
            for field in fields {
                guard let step = Self.parseMicroseconds(field) else { return nil }
                steps.append(step)
            }
            self = .ladder(steps)
        default:
            return nil
        }
    }

    /// An optional `-` and ASCII digits, exactly as `Int64.description` writes them.
    private static func parseMicroseconds(_ field: Substring) -> Duration? {
        let digits = field.utf8.first == UInt8(ascii: "-") ? field.dropFirst() : field
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let micros = Int64(field)
        else { return nil }
        return .microseconds(micros)
    }

    /// What `Double.description` writes, including `inf`, `nan` and exponents such as `1e+20`.
    ///
    /// The character check keeps out the leading whitespace the C parser underneath would skip.
    private static func parseDouble(_ field: Substring) -> Double? {
        guard let first = field.utf8.first, first != UInt8(ascii: "+"),
            field.utf8.allSatisfy({ byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            })
        else { return nil }
        return Double(field)
    }
}
