import XCTest
final class PlaceholderReferenceSolversTests: XCTestCase {}
