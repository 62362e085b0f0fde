namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// TTRL's label-free reward (arXiv 2504.16084): the majority answer of a question's N samples stands in for the
/// label; a sample earns 1 when its extracted answer equals it, 0 otherwise (also when it has no answer).
/// Equality is the evaluation's grader ("0.5" equals "\frac{1}{2}"). Answers are grouped into classes in sample
/// order (an answer joins the first class whose first member it equals); the majority is the largest class, the
/// earliest on a tie (as Python's Counter.most_common, which TTRL's code uses, breaks ties). When no sample has an
/// answer there is no majority and every reward is 0.
/// </summary>
public static class MajorityVoteReward
{
    public static double[] Of(IReadOnlyList<string?> answers, Func<string, string, bool> equal)
    {
        var classes = new List<(string Representative, int Count)>();
        foreach (string? answer in answers)
        {
            if (answer is null) continue;
            int k = classes.FindIndex(c => equal(answer, c.Representative));
            if (k >= 0) classes[k] = (classes[k].Representative, classes[k].Count + 1);
            else classes.Add((answer, 1));
        }
        var rewards = new double[answers.Count];
        if (classes.Count == 0) return rewards;
        int best = 0;
        for (int k = 1; k < classes.Count; k++)
            if (classes[k].Count > classes[best].Count) best = k;
        string majority = classes[best].Representative;
        for (int i = 0; i < answers.Count; i++)
            rewards[i] = answers[i] is { } a && equal(a, majority) ? 1 : 0;
        return rewards;
    }
}
