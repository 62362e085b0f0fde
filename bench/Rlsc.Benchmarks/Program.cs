using BenchmarkDotNet.Running;

// Runs the suites named on the command line, for example: -- --filter '*Grading*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
