using Rlsc.Core;

namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>
/// What `rlsc demo make-task` writes. The defaults make the committed eval-suites/data/arith (docs/embedded-default.md).
/// </summary>
public sealed class ArithmeticTaskOptions
{
    /// <summary>Seed of every random choice; the same seed and options write byte-identical files.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Held-out test questions with gold answers (test.jsonl, the `arith` suite).</summary>
    public int TestCount { get; set; } = 256;

    /// <summary>Unlabeled training questions for RLSC (train.jsonl: id and question only, no answer anywhere).</summary>
    public int TrainCount { get; set; } = 256;

    /// <summary>Warm-up examples with worked solutions for `rlsc sft` (warmup.jsonl: prompt, completion).</summary>
    public int WarmupCount { get; set; } = 36000;

    /// <summary>
    /// Probability that the noisy teacher slips at a step that can slip (a carry, a borrow or a multiplication; see
    /// <see cref="Slips"/>). 0 writes only correct solutions.
    /// </summary>
    public double SlipRate { get; set; } = 0.40;

    public void Validate()
    {
        if (TestCount < 1 || TrainCount < 1 || WarmupCount < 0)
            throw new RlscException(ErrorCodes.InvalidArgument,
                $"counts must be test >= 1, train >= 1, warmup >= 0 (got {TestCount}, {TrainCount}, {WarmupCount}).");
        if (SlipRate is < 0 or >= 0.5 || double.IsNaN(SlipRate))
            throw new RlscException(ErrorCodes.InvalidArgument,
                $"slip rate {SlipRate} is outside [0, 0.5): at 0.5 or more a slip is as likely as the right value and the teacher's most frequent answer is no longer the right one.");
    }
}
