// The numerical kernels (jets of the networks' derivatives, vectorised tanh, the networks'
// layout) are the separate module PINNKernels, the one compiled without runtime checks in
// release builds; PINN re-exports it, so `import PINN` gives the whole API as before.
@_exported import PINNKernels
