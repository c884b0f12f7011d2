/// The scanner behind ``DelayText/parse(_:)``; one instance reads one text.
struct DelayParser {
    struct Failure: Error {
        var reason: String
    }

    /// A unit or ISO designator: its length, its rank for the largest-first rule, and its name in
    /// messages.
    struct Unit {
        var micros: Int64
        var rank: Int
        var name: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        scalars = Array(trimmed.unicodeScalars)
    }

    mutating func parse() throws(Failure) -> Int64 {
        guard let first = scalars.first else {
            throw Failure(reason: "it is empty; write a number and a unit such as 30s, 2h45m or 1.5h, or an ISO 8601 duration such as PT5M")
        }
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                throw Failure(reason: "it contains a space; write the parts together, as in 2h45m")
            }
            if !scalar.isASCII, scalar.properties.numericType != nil {
                throw Failure(reason: "'\(scalar)' is not an ASCII digit; write numbers with the digits 0-9")
            }
        }
        if first == "-" {
            throw Failure(reason: "a delay cannot be negative: it counts forward from now; write e.g. 5s")
        }
        if first == "+" {
            throw Failure(reason: "a sign is not allowed; write 5s rather than +5s")
        }
        if first == "P" || first == "p" {
            position = 1
            return try parseISO8601()
        }
        if scalars == ["0"] { return 0 }
        return try parseUnits()
    }

    // MARK: Unit form

    private static let units: [String: Unit] = [
        "w": Unit(micros: 604_800_000_000, rank: 6, name: "w"),
        "d": Unit(micros: 86_400_000_000, rank: 5, name: "d"),
        "h": Unit(micros: 3_600_000_000, rank: 4, name: "h"),
        "m": Unit(micros: 60_000_000, rank: 3, name: "m"),
        "s": Unit(micros: 1_000_000, rank: 2, name: "s"),
        "ms": Unit(micros: 1_000, rank: 1, name: "ms"),
        "us": Unit(micros: 1, rank: 0, name: "us"),
        "\u{B5}s": Unit(micros: 1, rank: 0, name: "µs"),  // MICRO SIGN
        "\u{3BC}s": Unit(micros: 1, rank: 0, name: "µs"),  // GREEK SMALL LETTER MU
    ]

    private mutating func parseUnits() throws(Failure) -> Int64 {
        var total: Int64 = 0
        var previous: Unit?
        while position < scalars.count {
            let number = try readNumber(decimalSeparators: ["."], before: "a unit, as in 1h")
            let letters = readUnitLetters()
            guard !letters.isEmpty else {
                if position == scalars.count {
                    throw Failure(reason: "\(number.text) has no unit; write e.g. \(number.text)s for seconds or \(number.text)m for minutes")
                }
                throw unexpected(scalars[position])
            }
            let unit = try lookUpUnit(letters)
            if let previous {
                if previous.rank == unit.rank {
                    throw Failure(reason: "the unit \(unit.name) appears twice; write each unit once, as in 1m30s")
                }
                if previous.rank < unit.rank {
                    throw Failure(reason: "\(unit.name) comes after the smaller unit \(previous.name); write units from largest to smallest, as in 2h45m")
                }
            }
            previous = unit
            total = try add(number.micros(per: unit.micros), to: total)
        }
        return total
    }

    private mutating func readUnitLetters() -> String {
        var letters = String.UnicodeScalarView()
        while position < scalars.count {
            let scalar = scalars[position]
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            guard isLetter || scalar == "\u{B5}" || scalar == "\u{3BC}" else { break }
            letters.append(scalar)
            position += 1
        }
        return String(letters)
    }

    private func lookUpUnit(_ letters: String) throws(Failure) -> Unit {
        if let unit = Self.units[letters] { return unit }
        if letters == "e" || letters == "E", position < scalars.count,
            Self.isDigit(scalars[position]) || scalars[position] == "+" || scalars[position] == "-"
        {
            throw Failure(reason: "exponent notation is not supported; write the number in full, at most 100 years (36525d)")
        }
        switch letters {
        case "ns":
            throw Failure(reason: "nanoseconds are finer than Docket's microsecond resolution; use us or ms")
        case "y", "Y", "mo", "M":
            throw Failure(reason: "years and months have no fixed length; use days or weeks, as in 30d or 52w (m is minutes)")
        default:
            break
        }
        if let unit = Self.units[letters.lowercased()] {
            throw Failure(reason: "the unit \(letters) must be lowercase; write \(unit.name)")
        }
        throw Failure(reason: "unknown unit '\(letters)'; use w, d, h, m, s, ms or us, as in 2h45m or 500ms")
    }

    // MARK: ISO 8601 form

    private mutating func parseISO8601() throws(Failure) -> Int64 {
        var total: Int64 = 0
        var inTime = false
        var components = 0
        var timeComponents = 0
        var previous: Unit?
        var previousHadFraction = false
        while position < scalars.count {
            let scalar = Self.uppercased(scalars[position])
            if scalar == "T" {
                if inTime { throw Failure(reason: "T appears twice; write one T before the hours, as in P1DT2H30M") }
                inTime = true
                position += 1
                continue
            }
            if previousHadFraction {
                throw Failure(reason: "only the last component may have a fraction; write PT1H30M rather than PT1.5H0M")
            }
            let number = try readNumber(decimalSeparators: [".", ","], before: "a designator, as in PT5M")
            guard position < scalars.count else {
                throw Failure(reason: "\(number.text) has no designator; end it with W or D, or after T with H, M or S, as in P2D or PT\(number.text)M")
            }
            let unit = try designator(Self.uppercased(scalars[position]), inTime: inTime)
            position += 1
            if let previous {
                if previous.rank == unit.rank {
                    throw Failure(reason: "\(unit.name) appears twice; write each component once, as in P1DT2H")
                }
                if previous.rank < unit.rank {
                    throw Failure(reason: "\(unit.name) comes after \(previous.name); ISO 8601 orders components W, D, T, H, M, S")
                }
            }
            previous = unit
            previousHadFraction = !number.fraction.isEmpty
            components += 1
            if inTime { timeComponents += 1 }
            total = try add(number.micros(per: unit.micros), to: total)
        }
        if inTime, timeComponents == 0 {
            throw Failure(reason: "T must be followed by hours, minutes or seconds, as in PT5M; drop the T for days alone")
        }
        if components == 0 {
            throw Failure(reason: "P must be followed by at least one component, as in P1D or PT5M")
        }
        return total
    }

    private func designator(_ scalar: Unicode.Scalar, inTime: Bool) throws(Failure) -> Unit {
        switch (scalar, inTime) {
        case ("W", false): return Unit(micros: 604_800_000_000, rank: 6, name: "W (weeks)")
        case ("D", false): return Unit(micros: 86_400_000_000, rank: 5, name: "D (days)")
        case ("H", true): return Unit(micros: 3_600_000_000, rank: 4, name: "H (hours)")
        case ("M", true): return Unit(micros: 60_000_000, rank: 3, name: "M (minutes)")
        case ("S", true): return Unit(micros: 1_000_000, rank: 2, name: "S (seconds)")
        case ("Y", _):
            throw Failure(reason: "years have no fixed length; use days, as in P365D")
        case ("M", false):
            throw Failure(reason: "months have no fixed length; use days, as in P30D (minutes go after T: PT30M)")
        case ("H", false), ("S", false):
            throw Failure(reason: "hours and seconds go after T, as in PT5H or PT30S")
        case ("W", true), ("D", true):
            throw Failure(reason: "weeks and days go before T, as in P2DT3H")
        default:
            throw unexpected(scalar, hint: "ISO 8601 durations use W and D, then T and H, M, S, as in P1DT2H")
        }
    }

    // MARK: Numbers

    /// A number as written: whole digits, and fraction digits after a decimal separator.
    struct Number {
        var whole: ArraySlice<Unicode.Scalar>
        var fraction: ArraySlice<Unicode.Scalar>
        var text: String

        /// The number times `unit` microseconds, rounded toward zero; nil beyond the maximum.
        func micros(per unit: Int64) -> Int64? {
            var wholeValue: Int64 = 0
            for digit in whole {
                wholeValue = wholeValue * 10 + Int64(digit.value - 48)
                // Stopping past the maximum keeps the next multiplication by 10 from overflowing.
                if wholeValue > DelayText.maximumMicroseconds { return nil }
            }
            let (product, overflow) = wholeValue.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            guard !fraction.isEmpty else { return product }
            // Exact: numerator < 10¹⁸ and unit < 2⁴⁰, so the 128-bit product divides back below `unit`.
            var numerator: UInt64 = 0
            var denominator: UInt64 = 1
            for digit in fraction {
                numerator = numerator * 10 + UInt64(digit.value - 48)
                denominator *= 10
            }
            let part = denominator.dividingFullWidth(numerator.multipliedFullWidth(by: UInt64(unit))).quotient
            let (sum, sumOverflow) = product.addingReportingOverflow(Int64(part))
            return sumOverflow ? nil : sum
        }
    }

    private static let maximumFractionDigits = 18

    private mutating func readNumber(decimalSeparators: Set<Unicode.Scalar>, before what: String) throws(Failure) -> Number {
        let start = position
        let whole = readDigits()
        var fraction: ArraySlice<Unicode.Scalar> = []
        if position < scalars.count, decimalSeparators.contains(scalars[position]) {
            position += 1
            fraction = readDigits()
            if whole.isEmpty || fraction.isEmpty {
                throw Failure(reason: "a decimal point needs digits on both sides, as in 1.5h or 0.5s")
            }
            if fraction.count > Self.maximumFractionDigits {
                throw Failure(reason: "more than \(Self.maximumFractionDigits) decimal places; Docket keeps whole microseconds")
            }
        }
        guard !whole.isEmpty else {
            guard position < scalars.count else {
                throw Failure(reason: "it ends where a number was expected; write a number before \(what)")
            }
            let scalar = scalars[position]
            if scalar == "-" {
                throw Failure(reason: "a delay cannot be negative: it counts forward from now")
            }
            if scalar.properties.isAlphabetic {
                throw Failure(reason: "expected a number before '\(scalar)'; write a number before \(what)")
            }
            throw unexpected(scalar)
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<position])
        return Number(whole: whole, fraction: fraction, text: String(text))
    }

    private mutating func readDigits() -> ArraySlice<Unicode.Scalar> {
        let start = position
        while position < scalars.count, Self.isDigit(scalars[position]) { position += 1 }
        return scalars[start..<position]
    }

    // MARK: Helpers

    private func add(_ micros: Int64?, to total: Int64) throws(Failure) -> Int64 {
        // Both terms are at most the maximum, so the sum cannot overflow before the comparison.
        guard let micros, micros <= DelayText.maximumMicroseconds, total + micros <= DelayText.maximumMicroseconds else {
            throw Failure(reason: "it is longer than the maximum delay of 100 years (36525d)")
        }
        return total + micros
    }

    private func unexpected(_ scalar: Unicode.Scalar, hint: String = "write e.g. 30s, 2h45m or PT5M") -> Failure {
        if scalar == "-" {
            return Failure(reason: "a delay cannot be negative: it counts forward from now")
        }
        return Failure(reason: "unexpected '\(scalar)'; \(hint)")
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar >= "0" && scalar <= "9"
    }

    private static func uppercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard scalar >= "a", scalar <= "z", let upper = Unicode.Scalar(scalar.value - 32) else { return scalar }
        return upper
    }
}
