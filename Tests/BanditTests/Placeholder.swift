import XCTest
final class PlaceholderBanditTests: XCTestCase {}
