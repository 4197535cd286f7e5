using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AstraTrade.Starknet.Benchmarks.CryptoBenchmarks).Assembly).Run(args);
