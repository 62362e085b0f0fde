using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>Tuples, intervals (open vs closed), unions, sets, several answers in any order, matrices and vectors.</summary>
public class GraderStructureTests
{
    static readonly MathGrader Grader = new();

    static void AssertEqual(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.True, $"'{p}' == '{g}': {Grader.Grade(p, g).Method}");
    static void AssertDifferent(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.False, $"'{p}' != '{g}': {Grader.Grade(p, g).Method}");

    [TestCase(@"(3,\pi/2)", @"\left( 3, \frac{\pi}{2} \right)")]
    [TestCase(@"(1.5, -13)", @"\left( \frac{3}{2}, -13 \right)")]
    [TestCase("(1,-16,-4,43)", "(1, -16, -4, 43)")]
    [TestCase("1,-16,-4,43", "(1,-16,-4,43)")]
    public void Tuples_EqualInOrder(string p, string g) => AssertEqual(p, g);

    [TestCase(@"(\pi/2, 3)", @"\left( 3, \frac{\pi}{2} \right)")]
    [TestCase("(1,-16,43,-4)", "(1,-16,-4,43)")]
    [TestCase("(1,-16,-4)", "(1,-16,-4,43)")]
    [TestCase("-16,1,-4,43", "(1,-16,-4,43)")]
    public void Tuples_OrderAndLengthMatter(string p, string g) => AssertDifferent(p, g);

    [TestCase("(3,4]", "(3,4]")]
    [TestCase(@"(-\infty,0]", @"(-\infty, 0]")]
    [TestCase(@"\left(\frac35, \frac83\right]", @"\left(\frac{3}{5},\frac{8}{3}\right]")]
    [TestCase(@"[0.125, 8]", @"[\frac{1}{2^3}, 8]")]
    [TestCase(@"(-\infty, -5)", @"(-\infty,-5)")]
    public void Intervals_Equal(string p, string g) => AssertEqual(p, g);

    [TestCase("(3,4)", "(3,4]")]
    [TestCase("[3,4]", "(3,4]")]
    [TestCase("[3,4)", "(3,4]")]
    [TestCase(@"(-\infty,0)", @"(-\infty, 0]")]
    [TestCase(@"(0, \infty]", @"(0,\infty)")]
    [TestCase(@"(4,3]", "(3,4]")]
    public void Intervals_OpenVersusClosedMatters(string p, string g) => AssertDifferent(p, g);

    [TestCase(@"(3,\infty)\cup(-\infty,2)", @"(-\infty, 2) \cup (3, \infty)")]
    [TestCase(@"(0,9)\cup(9,36)", @"(0,9) \cup (9,36)")]
    [TestCase(@"(-\sqrt{11},-2)\cup (\sqrt{11},9)", @"(\sqrt{11},9)\cup(-\sqrt{11},-2)")]
    public void Unions_InAnyOrder(string p, string g) => AssertEqual(p, g);

    [TestCase(@"(-\infty, 2] \cup (3, \infty)", @"(-\infty, 2) \cup (3, \infty)")]
    [TestCase(@"(0,36)", @"(0,9) \cup (9,36)")]
    [TestCase(@"(0,9)\cup(9,37)", @"(0,9) \cup (9,36)")]
    public void Unions_Different(string p, string g) => AssertDifferent(p, g);

    [TestCase(@"-2, 1+\sqrt5, 1-\sqrt 5", @"\{1\pm\sqrt{5},-2\}")]
    [TestCase(@"\{-2, 1-\sqrt5, 1+\sqrt5\}", @"\{1\pm\sqrt{5},-2\}")]
    [TestCase("7,5,3", "3, 5, 7")]
    [TestCase(@"1+\sqrt{19}, 1-\sqrt{19}", @"1 \pm \sqrt{19}")]
    [TestCase(@"3+2\sqrt2, 3-2\sqrt2", @"3 \pm 2 \sqrt{2}")]
    [TestCase("-1, 7, 1, -7", "1,-1,7,-7")]
    [TestCase(@"\frac{1}{2}, \frac{32}{9}", @"$\frac{32}{9}$,$\frac{1}{2}$")]
    public void SeveralAnswers_InAnyOrder(string p, string g) => AssertEqual(p, g);

    [TestCase(@"1+\sqrt5, 1-\sqrt 5", @"\{1\pm\sqrt{5},-2\}")]
    [TestCase("3, 5", "3, 5, 7")]
    [TestCase("3, 5, 7, 9", "3, 5, 7")]
    [TestCase("3, 5, 5", "3, 5, 7")]
    [TestCase(@"1+\sqrt{19}", @"1 \pm \sqrt{19}")]
    public void SeveralAnswers_AllAndOnlyThem(string p, string g) => AssertDifferent(p, g);

    [TestCase("(4,5,7),(1,8,19),(2,7,13)", "(1,8,19), (2,7,13), (4,5,7)")]
    [TestCase("(3,-2),(3,2),(-3,-2),(-3,2)", "$(3,2),(-3,2),(3,-2),(-3,-2)$")]
    public void ListsOfTuples_ListInAnyOrder(string p, string g) => AssertEqual(p, g);

    [TestCase("(4,5,7),(1,19,8),(2,7,13)", "(1,8,19), (2,7,13), (4,5,7)")]
    [TestCase("(3,2),(-3,2),(3,-2)", "$(3,2),(-3,2),(3,-2),(-3,-2)$")]
    public void ListsOfTuples_EachTupleInOrder(string p, string g) => AssertDifferent(p, g);

    [TestCase(@"\begin{pmatrix} -\frac13 \\ \frac23 \\ \frac53 \end{pmatrix}", @"\begin{pmatrix} -1/3 \\ 2/3 \\ 5/3 \end{pmatrix}")]
    [TestCase(@"\begin{bmatrix} -1 & 0 \\ 0 & -1 \end{bmatrix}", @"\begin{pmatrix} -1 & 0 \\ 0 & -1 \end{pmatrix}")]
    [TestCase(@"(-1/3, 2/3, 5/3)", @"\begin{pmatrix} -1/3 \\ 2/3 \\ 5/3 \end{pmatrix}")]
    [TestCase(@"\begin{pmatrix} 0.2 \\ -3.6 \end{pmatrix}", @"\begin{pmatrix} 1/5 \\ -18/5 \end{pmatrix}")]
    public void MatricesAndVectors_Equal(string p, string g) => AssertEqual(p, g);

    [TestCase(@"\begin{pmatrix} 1/3 \\ 2/3 \\ 5/3 \end{pmatrix}", @"\begin{pmatrix} -1/3 \\ 2/3 \\ 5/3 \end{pmatrix}")]
    [TestCase(@"\begin{pmatrix} -1 & 0 \\ 0 & 1 \end{pmatrix}", @"\begin{pmatrix} -1 & 0 \\ 0 & -1 \end{pmatrix}")]
    [TestCase(@"\begin{pmatrix} -1 & 0 & 0 & -1 \end{pmatrix}", @"\begin{pmatrix} -1 & 0 \\ 0 & -1 \end{pmatrix}")]
    [TestCase(@"(-1, 0, 0, -1)", @"\begin{pmatrix} -1 & 0 \\ 0 & -1 \end{pmatrix}")]
    [TestCase(@"(2/3, -1/3, 5/3)", @"\begin{pmatrix} -1/3 \\ 2/3 \\ 5/3 \end{pmatrix}")]
    public void MatricesAndVectors_Different(string p, string g) => AssertDifferent(p, g);

    [TestCase("B", @"\text{(B)}")]
    [TestCase("(B)", @"\text{(B)}")]
    [TestCase(@"\textbf{(E)}", @"\text{(E)}")]
    [TestCase("East", @"\text{east}")]
    [TestCase("ellipse", @"\text{ellipse}")]
    public void TextAnswers_Equal(string p, string g) => AssertEqual(p, g);

    [TestCase(@"\textbf{(B)}\ 27", "27.0")]
    [TestCase(@"\textbf{(B)}\ 27", @"\text{(B)}")]
    [TestCase(@"\text{(C) } 12", "12")]
    [TestCase(@"\mathbf{(B)}", @"\text{(B)}")]
    public void ChoiceLabels_MatchTheLetterOrTheValue(string p, string g) => AssertEqual(p, g);

    [TestCase(@"\textbf{(C)}\ 27", @"\text{(B)}")]
    [TestCase(@"\textbf{(B)}\ 26", "27.0")]
    public void ChoiceLabels_Different(string p, string g) => AssertDifferent(p, g);

    [TestCase("C", @"\text{(B)}")]
    [TestCase("west", @"\text{east}")]
    [TestCase("odd", @"\text{even}")]
    [TestCase("hyperbola", @"\text{ellipse}")]
    public void TextAnswers_Different(string p, string g) => AssertDifferent(p, g);

    [Test]
    public void Structure_IsParsedAsDocumented()
    {
        var budget = GradingOptions.Default.NewBudget();
        Assert.That(AnswerStructure.Parse("(3,4]", budget), Is.TypeOf<BracketedAnswer>().With.Property("Close").EqualTo(']'));
        Assert.That(AnswerStructure.Parse(@"(-\infty,2) \cup (3,\infty)", budget), Is.TypeOf<UnionAnswer>());
        Assert.That(AnswerStructure.Parse(@"\{1, 2\}", budget), Is.TypeOf<SetAnswer>());
        Assert.That(AnswerStructure.Parse("1, 2", budget), Is.TypeOf<ListAnswer>());
        Assert.That(AnswerStructure.Parse(@"1 \pm \sqrt{2}", budget), Is.TypeOf<ListAnswer>().With.Property("Elements").Count.EqualTo(2));
        Assert.That(AnswerStructure.Parse(@"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", budget),
            Is.TypeOf<MatrixAnswer>().With.Property("Columns").EqualTo(2));
        Assert.That(AnswerStructure.Parse("y = 2x", budget), Is.TypeOf<EquationAnswer>());
        Assert.That(AnswerStructure.Parse(@"k \geq 2", budget), Is.EqualTo(new BracketedAnswer('[', ')', null!)).Using<AnswerNode>(
            (a, b) => a is BracketedAnswer x && b is BracketedAnswer y && x.Open == y.Open && x.Close == y.Close));
    }
}
