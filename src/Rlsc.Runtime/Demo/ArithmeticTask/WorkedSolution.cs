using System.Globalization;
using System.Text;

namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>A worked solution as the teacher wrote it: its text, how many steps slipped and the answer it ends with.</summary>
public sealed record WorkedSolution(string Text, int SlipCount, int WrittenAnswer)
{
    /// <summary>
    /// One line per step ("47+38=85"), then "\boxed{answer}". Compact on purpose: no spaces around the operators,
    /// so a byte-level tokenizer (digits are single tokens in Qwen2's pre-tokenizer) spends its tokens on digits.
    /// </summary>
    public static WorkedSolution Write(IReadOnlyList<ArithmeticStep> steps, TaskRandom? random = null, double slipRate = 0)
    {
        var written = new List<int>(steps.Count);
        var text = new StringBuilder();
        int slips = 0;
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            int left = step.Left.Value(written), right = step.Right.Value(written);
            int result = ArithmeticStep.Apply(left, step.Op, right);
            if (random is not null && slipRate > 0)
            {
                var wrong = Slips.Alternatives(left, step.Op, right);
                // A slip that would make this or a later result negative is not made: the teacher slips, but never
                // writes a story's count below zero.
                if (wrong.Count > 0 && random.Chance(slipRate))
                {
                    int slipped = wrong[random.Next(0, wrong.Count - 1)];
                    if (StaysNonNegative(steps, written, i, slipped)) { result = slipped; slips++; }
                }
            }
            written.Add(result);
            text.Append(Number(left)).Append(ArithmeticStep.Symbol(step.Op)).Append(Number(right))
                .Append('=').Append(Number(result)).Append('\n');
        }
        text.Append("\\boxed{").Append(Number(written[^1])).Append('}');
        return new WorkedSolution(text.ToString(), slips, written[^1]);
    }

    /// <summary>Whether writing <paramref name="value"/> at step <paramref name="at"/> keeps it and every later result at 0 or more.</summary>
    static bool StaysNonNegative(IReadOnlyList<ArithmeticStep> steps, List<int> written, int at, int value)
    {
        if (value < 0) return false;
        var trial = new List<int>(written) { value };
        for (int i = at + 1; i < steps.Count; i++)
        {
            int next = ArithmeticStep.Apply(steps[i].Left.Value(trial), steps[i].Op, steps[i].Right.Value(trial));
            if (next < 0) return false;
            trial.Add(next);
        }
        return true;
    }

    static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
