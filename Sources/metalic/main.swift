import MetalicCLI

// The `metalic` tool with the built-in families. An executable of your own can run the same
// command line with more families: `MetalicCommand.main(families: FamilyRegistry.builtIn + [MyFamily()])`.
MetalicCommand.main()
