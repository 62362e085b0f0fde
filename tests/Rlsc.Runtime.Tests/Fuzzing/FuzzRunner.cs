using Rlsc.Core;
using System.Diagnostics;

namespace Rlsc.Runtime.Tests.Fuzzing;

/// <summary>
/// Runs one loader over mutated inputs and collects what must never happen: an exception other than RlscException,
/// a case that hangs, or a verdict the oracle refuses. Each case has its own Random, seeded from the run's seed and
/// the case number, so a failure reproduces from the two numbers in its message.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>One case: its random source, and the input it built (shown when it fails).</summary>
    public sealed class FuzzCase(Random random)
    {
        public Random Random { get; } = random;
        public string Input { get; set; } = "";
    }

    /// <summary>What one case produced: null (a value or an RlscException, both fine), or a complaint.</summary>
    public delegate string? Case(FuzzCase fuzzCase);

    /// <returns>How many cases ran.</returns>
    public static int Run(string target, Case body)
    {
        int seed = FuzzSettings.Seed, limit = FuzzSettings.Cases;
        var budget = FuzzSettings.Budget;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        int cases = 0;
        for (; (limit == 0 || cases < limit) && clock.Elapsed < budget && failures.Count < 5; cases++)
        {
            int n = cases;
            var fuzzCase = new FuzzCase(new Random(unchecked(seed * 1_000_003 + StableHash(target) * 7919 + n)));
            string? complaint;
            var worker = Task.Run(() =>
            {
                try
                {
                    return body(fuzzCase);
                }
                catch (RlscException)
                {
                    return null;
                }
                catch (Exception e)
                {
                    return $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}";
                }
            });
            if (!worker.Wait(FuzzSettings.HangAfter))
                complaint = $"hang: no outcome after {FuzzSettings.HangAfter.TotalSeconds} s";
            else
                complaint = worker.Result;
            if (complaint is not null)
                failures.Add($"[{target}] {FuzzSettings.SeedVariable}={seed} case {n}: {complaint}\n--- input ---\n{TextMutator.Show(fuzzCase.Input)}");
            if (complaint?.StartsWith("hang", StringComparison.Ordinal) == true) break;  // the worker still runs: stop here
        }
        Assert.That(failures, Is.Empty, $"{target}: {cases} cases in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(cases, Is.GreaterThan(0));
        TestContext.Out.WriteLine($"{target}: {cases} cases in {clock.Elapsed.TotalSeconds:0.0} s, seed {seed}");
        return cases;
    }

    // string.GetHashCode differs between processes; a reproducible case needs a stable one (FNV-1a).
    static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7fffffff);
    }
}
