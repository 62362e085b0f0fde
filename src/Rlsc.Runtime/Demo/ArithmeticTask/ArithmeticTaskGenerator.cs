using Rlsc.Core;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>The three splits of the arith task, in the order they were drawn.</summary>
public sealed record ArithmeticTask(
    IReadOnlyList<ArithmeticProblem> Test,
    IReadOnlyList<ArithmeticProblem> Train,
    IReadOnlyList<(ArithmeticProblem Problem, WorkedSolution Solution)> Warmup);

/// <summary>
/// Draws the splits from one seeded stream: test first, then train, then warm-up, so that changing a later
/// split's size never changes an earlier split. No question text appears twice across all splits, so the test
/// split is held out from both the RLSC questions and the warm-up data.
/// </summary>
public static class ArithmeticTaskGenerator
{
    public static ArithmeticTask Generate(ArithmeticTaskOptions options)
    {
        options.Validate();
        var random = new TaskRandom(options.Seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var test = Draw(random, seen, "arith-test", options.TestCount);
        var train = Draw(random, seen, "arith-train", options.TrainCount);
        var warmupProblems = Draw(random, seen, "arith-warmup", options.WarmupCount);
        // Slips come from their own stream: the warm-up questions do not depend on the slip rate.
        var slipRandom = new TaskRandom(SeedMixer.Mix(options.Seed, 0x511B));
        var warmup = warmupProblems.Select(p => (p, WorkedSolution.Write(p.Steps, slipRandom, options.SlipRate))).ToList();
        return new ArithmeticTask(test, train, warmup);
    }

    static List<ArithmeticProblem> Draw(TaskRandom random, HashSet<string> seen, string prefix, int count)
    {
        var problems = new List<ArithmeticProblem>(count);
        int attempts = 0;
        while (problems.Count < count)
        {
            if (++attempts > count * 20 + 1000)
                throw new RlscException(ErrorCodes.InvalidArgument,
                    $"could not draw {count} distinct {prefix} questions; ask for fewer.");
            var template = random.Pick(StoryTemplates.All);
            var (question, steps) = template.Draw(random);
            if (!seen.Add(question)) continue;
            problems.Add(new ArithmeticProblem($"{prefix}-{problems.Count:D5}", template.Name, question, steps));
        }
        return problems;
    }
}
