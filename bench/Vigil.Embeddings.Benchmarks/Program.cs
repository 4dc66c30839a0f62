using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Vigil.Embeddings.Benchmarks;

// Artifacts go beside this project, not into the caller's working directory.
var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(LocalEmbeddingBenchmarks).Assembly).Run(args, DefaultConfig.Instance.WithArtifactsPath(artifacts));
