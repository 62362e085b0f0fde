using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>Expressions with variables (compared at random points), equations, functions and unknown functions.</summary>
public class GraderSymbolicTests
{
    static readonly MathGrader Grader = new();

    [TestCase("ab+2a+5b+10", "(a+5)(b+2)")]
    [TestCase(@"(x-1)(x^4+x^2+1)", "x^5 - x^4 + x^3 - x^2 + x - 1")]
    [TestCase(@"\frac{x^9-1}{x-1}", "x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1")]
    [TestCase(@"\frac{\cos x}{\sin x}", @"\cot x")]
    [TestCase(@"2(3r^2-2r-12)", "6r^2-4r-24")]
    [TestCase(@"\frac{1}{2(n+1)}", @"\frac{1}{2 n+2}")]
    [TestCase(@"\frac{2n^3+3n^2+n}{6}", @"\frac{n(n+1)(2 n+1)}{6}")]
    [TestCase(@"\frac{(2n)!}{(n!)^2}", @"\binom{2n}{n}")]
    [TestCase(@"\left\lfloor\log_2 n\right\rfloor+1", @"\lfloor\log _{2} n\rfloor+1")]
    [TestCase(@"\cos 2t + \sin 2t", @"\sqrt{2} \cos (2 t-\pi / 4)")]
    [TestCase(@"\frac{\sinh(at)}{a}", @"\frac{1}{2a}(\exp{a*t} - \exp{-a*t})")]
    [TestCase(@"\ln(2) + \frac{\pi i}{3}", @"\ln 2 + i\pi / 3")]
    [TestCase(@"\arcsin\left(\frac{10}{13}\right)", "np.arcsin(10/13)")]
    [TestCase(@"\frac{aM^{1/3}}{GM^{2/3}+b}", @"\frac{a M^{1 / 3}}{G M^{2 / 3}+b}")]
    [TestCase(@"2 r_0 \sqrt{\pi G \rho_0}", @"\sqrt{4 \pi G \rho_{0} r_{0}^{2}}")]
    [TestCase(@"\frac{\lambda_{red}}{\sqrt2}", @"\lambda_{\text {red}} / \sqrt{2}")]
    [TestCase(@"x_0\cos(\omega t) + \frac{\dot{x}_0}{\omega}\sin(\omega t)", @"x_{0} \cos (\omega t)+$ $\dot{x}_{0} \sin (\omega t) / \omega")]
    [TestCase(@"I(0)e^{-t/(RC)}", @"I(0) e^{-\frac{t}{R C}}")]
    [TestCase(@"\frac{k(4k^2+k-1)}{2}", @"k\left(4 k^{2}+k-1\right) / 2")]
    [TestCase(@"\sin^2\theta", @"\sin ^{2} \theta")]
    [TestCase(@"\log_{2/3} 2", @"\frac{\log 2}{\log 2-\log 3}")]
    public void Expressions_EqualAtRandomPoints(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.True, Grader.Grade(p, g).Method);

    [TestCase("ab+2a+5b+11", "(a+5)(b+2)")]
    [TestCase(@"x^5 - x^4 + x^3 - x^2 + x + 1", "x^5 - x^4 + x^3 - x^2 + x - 1")]
    [TestCase(@"\tan x", @"\cot x")]
    [TestCase(@"\frac{1}{2n+1}", @"\frac{1}{2 n+2}")]
    [TestCase(@"\lceil\log_2 n\rceil+1", @"\lfloor\log _{2} n\rfloor+1")]
    [TestCase(@"\cos 2t - \sin 2t", @"\sqrt{2} \cos (2 t-\pi / 4)")]
    [TestCase(@"\frac{aM^{1/3}}{GM^{2/3}-b}", @"\frac{a M^{1 / 3}}{G M^{2 / 3}+b}")]
    [TestCase("0", @"I(0) e^{-\frac{t}{R C}}")]
    [TestCase(@"I(1) e^{-\frac{t}{R C}}", @"I(0) e^{-\frac{t}{R C}}")]
    [TestCase("x^2+0.00001", "x^2")]
    [TestCase("2n", "n")]
    [TestCase("n", "2")]
    public void Expressions_Different(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.False, Grader.Grade(p, g).Method);

    [TestCase("2x+1-y=0", "y = 2x+1")]
    [TestCase("2y = 4x + 2", "y = 2x+1")]
    [TestCase("-5x+7y-11z-4=0", "5x - 7y + 11z + 4 = 0")]
    [TestCase("y=-2x", "y = -2x")]
    [TestCase("2x + 3", "y = 2x + 3")]
    [TestCase(@"f(x) = 1/x", @"f(x)=\frac{1}{x}")]
    [TestCase(@"y' + ry = r x(t)", @"y^{\prime}+r y-r x(t)=0")]
    [TestCase(@"\frac{dM}{dt}=\frac{10^{5} L_{\odot} M^6}{0.007 c^{2} M_{\odot}^{6}}", @"\frac{dM}{dt}=\frac{10^{5} L_{\odot}}{0.007 c^{2} M_{\odot}^{6}} M^{6}")]
    [TestCase("X_d = 125 - 1.25P", "X_{d}=125-1.25 P")]
    public void Equations_Equal(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.True, Grader.Grade(p, g).Method);

    [TestCase("2x+2-y=0", "y = 2x+1")]
    [TestCase("y = x+1", "y = 2x+1")]
    [TestCase("x - 2y = 0", "y = 2x")]
    [TestCase(@"f(x)=x", @"f(x)=\frac{1}{x}")]
    [TestCase(@"y' + ry = r x(2t)", @"y^{\prime}+r y-r x(t)=0")]
    [TestCase("k=2", "k=1")]
    public void Equations_Different(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.False, Grader.Grade(p, g).Method);

    [Test]
    public void Verdicts_AreDeterministic()
    {
        var a = new MathGrader();
        var b = new MathGrader();
        string[] pairs = [@"\frac{x^9-1}{x-1}", "x^8+x^7+x^6+x^5+x^4+x^3+x^2+x+1", "ab", "ba", @"\sqrt{2}\cos(2t-\pi/4)", @"\cos 2t+\sin 2t"];
        for (int i = 0; i < pairs.Length; i += 2)
            Assert.That(a.Grade(pairs[i], pairs[i + 1]), Is.EqualTo(b.Grade(pairs[i], pairs[i + 1])));
    }
}
