import Foundation

/// How metalic spells the numbers JSON cannot hold, in every file it writes (study store,
/// `summary.json`, machine-readable output): the strings "NaN", "Infinity" and "-Infinity" —
/// the names JavaScript and Python's `float()` use, so `float(value)` reads them back.
public enum NonFiniteNumbers {
    public static let encoding = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    public static let decoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
}
