using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// Every case listed in issue #13, graded as `rlsc grade --gold G --pred P` does (extraction of a bare-or-response
/// prediction, then the grader). The first group were wrong answers accepted; the second right answers refused.
/// </summary>
public class GraderIssue13Tests
{
    static readonly MathGrader Grader = new();

    static GradeResult GradeAsCommand(string pred, string gold) => Grader.Grade(AnswerExtractor.ExtractOrBare(pred).Answer, gold);

    const string MinervaGold = @"\frac{dM}{dt}=\frac{10^{5} L_{\odot}}{0.007 c^{2} M_{\odot}^{6}} M^{6}";

    [TestCase("Paris", "Paris2")]
    [TestCase(@"\text{(C)}", @"\text{(C)}+1")]
    [TestCase(@"\text{(C)}", @"\text{(C)}2")]
    [TestCase("MR=SRMC", "MR=SRMC+1")]
    [TestCase("SRAC=LRAC", "SRAC=LRAC2")]
    [TestCase(MinervaGold, @"\frac{dM}{dt}=\frac{40^{5} L_{\odot}}{0.007 c^{2} M_{\odot}^{6}} M^{6}")]
    [TestCase(MinervaGold, @"\frac{dM}{dt}=\frac{10^{6} L_{\odot}}{0.007 c^{2} M_{\odot}^{6}} M^{6}")]
    [TestCase(MinervaGold, @"\frac{dM}{dt}=\frac{10^{5} L_{\odot}}{0.007 c^{2} M_{\odot}^{6}} M^{6}+1")]
    [TestCase("1/2004!", "1/2006!")]
    public void WrongAnswers_AreRefused(string gold, string pred)
    {
        var result = GradeAsCommand(pred, gold);
        Assert.That(result.Equal, Is.False, $"'{pred}' accepted for '{gold}' ({result.Method})");
    }

    [TestCase("3", "The answer: $3$")]
    [TestCase("9", @"Answer \[ 9 \]")]
    [TestCase("9", "Answer $$ 9 $$")]
    [TestCase("10", @"Answer \( (9+1) \)")]
    [TestCase("x >= 5", @"Therefore $x \geq 5$ is the solution.")]
    [TestCase(@"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", @"The identity matrix is $\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}$.")]
    [TestCase("10", "The answer is **10**.")]
    [TestCase(@"\{1,2\}", @"\boxed{1} and \boxed{2}")]
    [TestCase("(2, 2), (6, 2)", @"\boxed{(2, 2)} \quad \text{and} \quad \boxed{(6, 2)}")]
    [TestCase("(3,2)", "(p,q)=(3,2)")]
    [TestCase("4, 5", "AB=4,CD=5")]
    [TestCase("k=45, n=2", "k = 45, n = 2")]
    [TestCase("45, 2", "k = 45, n = 2")]
    [TestCase(@"28\%", "28 pct")]
    [TestCase(@"28\%", "28 percent")]
    [TestCase("14{,}916", "14 {, }916")]
    [TestCase(@"\begin{pmatrix} 0 & 3 \\ 0 & -1 \end{pmatrix}", "\\boxed{\n\\begin{pmatrix} 0 & 3 \\\\ 0 & -1 \\end{pmatrix}\n}")]
    [TestCase(@"x \in \boxed{\{-1\} \cup [0,7)}", @"x \in \boxed{\{-1\} \cup [0,7)}")]
    public void RightAnswers_AreAccepted(string gold, string pred)
    {
        var extracted = AnswerExtractor.ExtractOrBare(pred);
        var result = Grader.Grade(extracted.Answer, gold);
        Assert.That(result.Equal, Is.True, $"'{pred}' (extracted '{extracted.Answer}' by {extracted.Rule}) refused for '{gold}' ({result.Method})");
    }

    [Test]
    public void SeveralBoxedAnswers_AreNotOneOfThem_WhenTheGoldIsOneValue()
    {
        // Hedging between two values is not answering: joined, they are a list, and a list is not one value.
        Assert.That(GradeAsCommand(@"\boxed{1} and \boxed{2}", "2").Equal, Is.False);
    }
}
