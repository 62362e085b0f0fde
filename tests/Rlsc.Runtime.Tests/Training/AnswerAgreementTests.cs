using Rlsc.Core.Evaluation.Grading;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Training;

public class AnswerAgreementTests
{
    static readonly MathGrader Grader = new();

    [Test]
    public void PairAgreementCountsOrderedPairsWithEquivalentAnswers()
    {
        // Classes {1/2, 0.5, \frac{1}{2}} and {3, 3}; one sample without an answer; N = 6.
        var a = AnswerAgreement.Of(["\\frac{1}{2}", "0.5", "3", null, "3", "\\frac12"], Grader.AreEqual);
        Assert.That(a.PairAgreement, Is.EqualTo((3.0 * 2 + 2 * 1) / (6 * 5)).Within(1e-12));
        Assert.That(a.MajorityFraction, Is.EqualTo(3.0 / 6).Within(1e-12));
        Assert.That(a.ExtractedFraction, Is.EqualTo(5.0 / 6).Within(1e-12));
    }

    [Test]
    public void NoAnswersAgreeOnNothingAndOneSampleHasNoPairs()
    {
        var none = AnswerAgreement.Of([null, null], Grader.AreEqual);
        Assert.That((none.PairAgreement, none.MajorityFraction, none.ExtractedFraction), Is.EqualTo((0.0, 0.0, 0.0)));
        Assert.That(double.IsNaN(AnswerAgreement.Of(["1"], Grader.AreEqual).PairAgreement));
    }
}
