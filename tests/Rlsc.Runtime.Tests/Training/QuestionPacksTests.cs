using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Tests.Training;

public class QuestionPacksTests
{
    static QuestionPacks.Unit U(int question, params int[] rows) => new(question, [.. rows]);

    // Tokens a pack forwards with each prompt once: questions x 10 prompt tokens + rows x 5 completion tokens.
    static long Tokens(IReadOnlyList<QuestionPacks.Unit> pack) => pack.Count * 10L + pack.Sum(u => u.Rows.Count) * 5L;

    [Test]
    public void PacksWholeMicroBatchesInOrderWithinTheBudget()
    {
        var units = new[] { U(0, 0, 1), U(1, 0, 1), U(2, 0, 1), U(3, 0, 1, 2, 3) };   // 20, 20, 20, 30 tokens
        var packs = QuestionPacks.Pack(units, Tokens, tokenBudget: 45);
        Assert.That(packs.Select(p => p.Select(u => u.Question)), Is.EqualTo(new[] { new[] { 0, 1 }, new[] { 2 }, new[] { 3 } }));
        Assert.That(packs.All(p => Tokens(p) <= 45));
        Assert.That(packs.SelectMany(p => p), Is.EqualTo(units), "every micro-batch once, whole and in order");
    }

    [Test]
    public void AMicroBatchOverTheBudgetGetsAPackOfItsOwn()
    {
        var units = new[] { U(0, 0), U(1, 0, 1, 2, 3, 4, 5, 6, 7), U(2, 0) };   // 15, 50, 15 tokens
        var packs = QuestionPacks.Pack(units, Tokens, tokenBudget: 30);
        Assert.That(packs.Select(p => p.Select(u => u.Question)), Is.EqualTo(new[] { new[] { 0 }, new[] { 1 }, new[] { 2 } }));
    }

    [Test]
    public void ALargeBudgetPacksTheWholeStep()
    {
        var units = Enumerable.Range(0, 16).Select(q => U(q, Enumerable.Range(0, 16).ToArray())).ToList();
        Assert.That(QuestionPacks.Pack(units, Tokens, tokenBudget: 100_000), Has.Count.EqualTo(1));
    }
}
