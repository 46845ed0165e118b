import MetalicCore

extension InterfaceArm {
    /// Bits of all arms, row-major 512 × 9 (row = mask): the arm half of every candidate set,
    /// built once instead of per prediction.
    static let bitTable: [Double] = everyArm.flatMap(\.bits)
}
