using Rlsc.Core.Evaluation.Answers;

namespace Rlsc.Runtime.Tests.Evaluation;

public class AnswerExtractorTests
{
    [TestCase(@"So the answer is \boxed{\frac{1}{2}}.", @"\frac{1}{2}")]
    [TestCase(@"First \boxed{3}, then corrected: \boxed{4}", "4")]
    [TestCase(@"\boxed{\left( 3, \frac{\pi}{2} \right)}", @"\left( 3, \frac{\pi}{2} \right)")]
    [TestCase(@"\boxed{\begin{pmatrix} 1 \\ 2 \end{pmatrix}}", @"\begin{pmatrix} 1 \\ 2 \end{pmatrix}")]
    [TestCase(@"\boxed{\{1,2\}}", @"\{1,2\}")]
    [TestCase(@"$\fbox{42}$", "42")]
    [TestCase(@"so $\boxed 5$.", "5")]
    [TestCase(@"\boxed{7} and then \boxed{8", "7")]
    [TestCase(@"\boxed {  9 }", "9")]
    public void Boxed_LastCompleteOne(string response, string expected) =>
        Assert.That(AnswerExtractor.Extract(response), Is.EqualTo(new ExtractedAnswer(expected, ExtractionRule.Boxed)));

    [TestCase("Adding them up, the answer is 42.", "42")]
    [TestCase("The answer is $\\frac{3}{4}$.", @"\frac{3}{4}")]
    [TestCase("Thus the answer is: 17\nExtra text 99", "17")]
    [TestCase("The answer is 12. I am sure of it, 13 times over.", "12")]
    public void TheAnswerIs(string response, string expected) =>
        Assert.That(AnswerExtractor.Extract(response), Is.EqualTo(new ExtractedAnswer(expected, ExtractionRule.TheAnswerIs)));

    [TestCase("Final Answer: The final answer is $\\frac{1}{3}$. I hope it is correct.", @"\frac{1}{3}")]
    [TestCase("The answer is 3. Hmm, wait. My final answer is $4$", "4")]
    [TestCase("final answer is 2,125 dollars", "2,125 dollars")]
    public void FinalAnswerIs(string response, string expected) =>
        Assert.That(AnswerExtractor.Extract(response), Is.EqualTo(new ExtractedAnswer(expected, ExtractionRule.FinalAnswerIs)));

    [TestCase("She makes 9 * 2 = 18 dollars every day.", "18")]
    [TestCase("It costs $1,234.50 in total", "1234.50")]
    [TestCase("about -3.5 degrees", "-3.5")]
    [TestCase("the ratio is 3/4", "3/4")]
    [TestCase("so .5 of it", ".5")]
    public void LastNumber_Fallback(string response, string expected) =>
        Assert.That(AnswerExtractor.Extract(response), Is.EqualTo(new ExtractedAnswer(expected, ExtractionRule.LastNumber)));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("I don't know.")]
    [TestCase(@"\boxed{")]
    public void Nothing_IsAnExtractionFailure(string? response)
    {
        var extracted = AnswerExtractor.Extract(response);
        Assert.That(extracted, Is.EqualTo(new ExtractedAnswer(null, ExtractionRule.None)));
        Assert.That(extracted.Failed, Is.True);
    }

    [Test]
    public void ExtractOrBare_KeepsABareAnswerWhole()
    {
        Assert.That(AnswerExtractor.ExtractOrBare(@"\frac{1}{2}"), Is.EqualTo(new ExtractedAnswer(@"\frac{1}{2}", ExtractionRule.Bare)));
        Assert.That(AnswerExtractor.ExtractOrBare(@"so \boxed{3}"), Is.EqualTo(new ExtractedAnswer("3", ExtractionRule.Boxed)));
        Assert.That(AnswerExtractor.Extract(@"\frac{1}{2}"), Is.EqualTo(new ExtractedAnswer("2", ExtractionRule.LastNumber)));
    }

    [Test]
    public void HugeResponse_DoesNotHang()
    {
        string response = string.Concat(Enumerable.Repeat("the answer is ", 100_000)) + new string('{', 100_000) + @"\boxed{";
        Assert.DoesNotThrow(() => AnswerExtractor.Extract(response));
    }

    [TestCase(ExtractionRule.Boxed, "boxed")]
    [TestCase(ExtractionRule.TheAnswerIs, "the_answer_is")]
    [TestCase(ExtractionRule.FinalAnswerIs, "final_answer_is")]
    [TestCase(ExtractionRule.LastNumber, "last_number")]
    [TestCase(ExtractionRule.None, "none")]
    [TestCase(ExtractionRule.Bare, "bare")]
    public void RuleNames_RoundTrip(ExtractionRule rule, string name)
    {
        Assert.That(rule.ToName(), Is.EqualTo(name));
        Assert.That(ExtractionRuleNames.Parse(name), Is.EqualTo(rule));
    }
}
