using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Metrics;

/// <summary>The majority answer among samples and how many samples agree with it.</summary>
/// <param name="Majority">Index of the first sample of the largest cluster, or -1 when no sample has an answer.</param>
/// <param name="MajoritySize">Samples in that cluster.</param>
/// <param name="Clusters">Number of distinct answers (by the grader's equivalence).</param>
public sealed record MajorityVote(int Majority, int MajoritySize, int Clusters);

/// <summary>
/// Groups sampled answers by the grader's equivalence ("\frac12" and "0.5" are one answer), for maj@k and the
/// per-problem agreement. Identical texts are grouped first; then each distinct text joins the first cluster whose
/// representative the grader finds equal. The largest cluster wins; a tie goes to the cluster seen first.
/// Samples without an answer belong to no cluster (they still count in the agreement's denominator).
/// </summary>
public static class AnswerClusters
{
    public static MajorityVote Vote(IReadOnlyList<string?> answers, MathGrader grader)
    {
        var distinct = new List<(string Text, int First, int Count)>();
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < answers.Count; i++)
        {
            if (answers[i] is not { } text) continue;
            if (byText.TryGetValue(text, out int d)) distinct[d] = distinct[d] with { Count = distinct[d].Count + 1 };
            else { byText[text] = distinct.Count; distinct.Add((text, i, 1)); }
        }
        if (distinct.Count == 0) return new MajorityVote(-1, 0, 0);

        var clusters = new List<(string Representative, int First, int Size)>();
        foreach (var (text, first, count) in distinct)
        {
            int joined = -1;
            for (int c = 0; c < clusters.Count && joined < 0; c++)
                if (grader.AreEqual(text, clusters[c].Representative)) joined = c;
            if (joined < 0) clusters.Add((text, first, count));
            else clusters[joined] = clusters[joined] with { Size = clusters[joined].Size + count };
        }
        var best = clusters[0];
        foreach (var cluster in clusters)
            if (cluster.Size > best.Size) best = cluster;
        return new MajorityVote(best.First, best.Size, clusters.Count);
    }
}
