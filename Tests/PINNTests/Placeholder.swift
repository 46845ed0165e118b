import XCTest
final class PlaceholderPINNTests: XCTestCase {}
