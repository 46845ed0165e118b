import XCTest
final class PlaceholderGaussianProcessTests: XCTestCase {}
