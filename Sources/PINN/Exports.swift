// The numerical kernels (jets of the networks' derivatives, vectorised tanh, the networks'
// layout) are the separate module PINNKernels, the one compiled without runtime checks in
// release builds; the arm and parameter types are MetalicCore, shared with the bandits and the
// study stores. PINN re-exports both, so `import PINN` gives the whole solver API.
@_exported import MetalicCore
@_exported import PINNKernels
// A family's reference solution is a ReferenceSolvers.GridSolution: part of the family API.
@_exported import ReferenceSolvers
