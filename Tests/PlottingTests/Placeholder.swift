import XCTest
final class PlaceholderPlottingTests: XCTestCase {}
