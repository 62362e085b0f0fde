namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// GRPO's group-normalised advantages, as TTRL and Intuitor use them: A_i = (r_i - mean(r)) / (std(r) + epsilon)
/// over the N samples of one question. std is the sample standard deviation (divisor N - 1), as torch.std in verl
/// and TRL computes it. A group whose rewards are all equal (or a single sample) has no signal and gets A = 0 for
/// every sample, so it contributes nothing to the gradient.
/// </summary>
public static class GroupAdvantages
{
    public static double[] Of(IReadOnlyList<double> rewards, double epsilon)
    {
        int n = rewards.Count;
        var advantages = new double[n];
        if (n < 2) return advantages;
        double mean = rewards.Average();
        double variance = rewards.Sum(r => (r - mean) * (r - mean)) / (n - 1);
        // All rewards equal: no signal. Return exact zeros: the rounded mean can differ from the rewards by ~1e-17,
        // which dividing by (0 + epsilon) would blow up into a spurious advantage.
        if (rewards.All(r => r == rewards[0])) return advantages;
        double std = Math.Sqrt(variance);
        for (int i = 0; i < n; i++) advantages[i] = (rewards[i] - mean) / (std + epsilon);
        return advantages;
    }
}
