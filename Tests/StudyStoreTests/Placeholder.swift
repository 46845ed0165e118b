import XCTest
final class PlaceholderStudyStoreTests: XCTestCase {}
