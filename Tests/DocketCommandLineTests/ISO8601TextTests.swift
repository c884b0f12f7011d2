import DocketCore
import DocketText
import Foundation
import Testing

/// `ISO8601.format` against Foundation's `ISO8601DateFormatter`, the implementation it replaced.
@Suite struct ISO8601TextTests {
    @Test func theTextIsTheFormattersOnManyInstants() {
        let whole = ISO8601DateFormatter()
        whole.timeZone = TimeZone(identifier: "UTC")
        whole.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.timeZone = TimeZone(identifier: "UTC")
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SplitMix64(seed: 14)
        var instants: [Double] = [0, -1.5, 951_782_400, 4_107_542_400, 253_402_300_799, 1_772_442_000.2506, 1_772_442_000.9996]
        for _ in 0..<5_000 {
            // Whole seconds, milliseconds and microseconds between 1900 and 9999, away from the
            // half-millisecond ties where two roundings of a binary fraction may differ.
            let second = Double(Int64(generator.next() % 253_402_300_799) - 2_208_988_800)
            let micros = Double(generator.next() % 1_000_000)
            instants.append(second)
            instants.append(second + (micros.truncatingRemainder(dividingBy: 1000) == 500 ? micros + 1 : micros) / 1e6)
        }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            let expected = seconds - seconds.rounded(.down) < 0.0005 ? whole.string(from: date) : fractional.string(from: date)
            #expect(ISO8601.format(date) == expected, "\(seconds)")
        }
    }
}

