import XCTest
final class PlaceholderOptimizationTests: XCTestCase {}
