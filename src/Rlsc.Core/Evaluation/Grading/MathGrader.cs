using System.Numerics;
using System.Text.RegularExpressions;
using Rlsc.Core.Evaluation.Expressions;

namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// Decides whether a predicted answer equals the gold one, as a careful mathematician would (docs/evaluation.md
/// lists every rule with examples). Order: normalise both (<see cref="AnswerNormalizer"/>); equal text is equal;
/// otherwise compare their shapes (<see cref="AnswerStructure"/>) element by element, and single values exactly
/// (rationals), numerically (relative tolerance, x% as x/100, degrees as radians) or, with variables, by evaluating
/// both at random points. Every call is bounded by <see cref="GradingOptions.MaxSteps"/> and
/// <see cref="GradingOptions.TimeLimit"/>; running out means "not equal", never a hang or an exception.
/// Thread-safe: holds only immutable options.
/// </summary>
public sealed partial class MathGrader
{
    public MathGrader(GradingOptions? options = null)
    {
        Options = options ?? GradingOptions.Default;
    }

    public GradingOptions Options { get; }

    public bool AreEqual(string? predicted, string? gold) => Grade(predicted, gold).Equal;

    /// <summary>
    /// This grader for one problem: when its question asks for a percentage (<see cref="PercentQuestions"/>), one whose
    /// predicted x% may also mean x (<see cref="GradingOptions.PercentQuestion"/>); otherwise this grader itself.
    /// </summary>
    public MathGrader ForQuestion(string? question) =>
        !Options.PercentQuestion && PercentQuestions.Asks(question) ? new MathGrader(Options with { PercentQuestion = true }) : this;

    /// <summary>The prediction carries a % that the gold and the question do not: it can only mean x/100.</summary>
    static bool PredictedPercentIsValue(NormalizedAnswer predicted, NormalizedAnswer gold, GradingOptions options) =>
        predicted.Percent && !gold.Percent && !options.PercentQuestion;

    public GradeResult Grade(string? predicted, string? gold)
    {
        if (string.IsNullOrWhiteSpace(predicted)) return GradeResult.Different("no_answer");
        if (string.IsNullOrWhiteSpace(gold)) return GradeResult.Different("no_answer");
        if (predicted.Length > Options.MaxAnswerChars || gold.Length > Options.MaxAnswerChars) return GradeResult.Different("budget");
        var budget = Options.NewBudget();
        try
        {
            budget.Step(predicted.Length + gold.Length);
            var p = AnswerNormalizer.Normalize(predicted);
            var g = AnswerNormalizer.Normalize(gold);
            if (p.Text.Length == 0 || g.Text.Length == 0) return GradeResult.Different("no_answer");
            // "4 4/9%" against "4 4/9": the prediction's % is a value (x/100), not decoration, unless the question asks for one.
            if (!PredictedPercentIsValue(p, g, Options) && Canonical(p.Text) == Canonical(g.Text)) return new GradeResult(true, "text");
            // A gold that is one choice letter against "C. x = 42" (a letter, a full stop, then working): the letter decides.
            if (ChoiceWithWorking(p.Text, g.Text) is { } choice) return choice ? new GradeResult(true, "text") : GradeResult.Different();
            if (ChoiceWithWorking(g.Text, p.Text) is { } reverse) return reverse ? new GradeResult(true, "text") : GradeResult.Different();
            var context = new Comparison(Options, budget, p, g);
            var pn = AnswerStructure.Parse(p.Text, budget);
            var gn = AnswerStructure.Parse(g.Text, budget);
            string? method = context.Compare(pn, gn);
            return method is null ? GradeResult.Different() : new GradeResult(true, method);
        }
        catch (GradingBudgetExceeded)
        {
            return GradeResult.Different("budget");
        }
        catch (RegexMatchTimeoutException)
        {
            return GradeResult.Different("budget");
        }
    }

    // "(B) 27" carries a value after a space; "(C)+1" or "(C)2" is not a choice at all (an operator or a digit glued
    // to the letter makes a different expression), so it must not match and be graded as the letter C.
    // "C. x = 42" is choice C with its working after a full stop and a space.
    [GeneratedRegex(@"^(?:\(([A-E])\)|([A-E])\.(?=\s))(?:\s+([^\s+*/^=!<>,;].*))?$", RegexOptions.None, 200)]
    private static partial Regex ChoicePattern();

    static bool? ChoiceWithWorking(string answer, string letter)
    {
        string bare = letter.Trim().TrimStart('(').TrimEnd(')').Trim();
        if (bare.Length != 1 || bare[0] is < 'A' or > 'E') return null;
        var m = LetterThenWorking().Match(answer.Trim());
        return m.Success ? m.Groups[1].Value[0] == bare[0] : null;
    }

    [GeneratedRegex(@"^\(?([A-E])\)?\.\s+\S", RegexOptions.None, 200)]
    private static partial Regex LetterThenWorking();

    /// <summary>The text with spaces removed: "\frac{1}{2}" and "\frac {1} {2}" are the same answer.</summary>
    internal static string Canonical(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>One comparison's state: options, budget, and the percent/degree marks stripped from each side.</summary>
    sealed class Comparison(GradingOptions options, GradingBudget budget, NormalizedAnswer predicted, NormalizedAnswer gold)
    {
        /// <summary>The method that proved a equal to b, or null when they differ.</summary>
        public string? Compare(AnswerNode a, AnswerNode b)
        {
            budget.Enter();
            try
            {
                return (a, b) switch
                {
                    (EmptyAnswer, _) or (_, EmptyAnswer) => null,
                    (EquationAnswer x, EquationAnswer y) => CompareEquations(x, y),
                    (EquationAnswer x, _) => EquationAgainstValue(x, b, predictedIsEquation: true),
                    (_, EquationAnswer y) => EquationAgainstValue(y, a, predictedIsEquation: false),
                    (ScalarAnswer x, ScalarAnswer y) => CompareScalars(x.Latex, y.Latex),
                    (BracketedAnswer x, BracketedAnswer y) => x.Open == y.Open && x.Close == y.Close ? Ordered(x.Elements, y.Elements) : null,
                    (BracketedAnswer x, ListAnswer y) when x.Open == '(' && x.Close == ')' => Ordered(x.Elements, y.Elements),
                    (ListAnswer x, BracketedAnswer y) when y.Open == '(' && y.Close == ')' => Ordered(x.Elements, y.Elements),
                    (MatrixAnswer x, MatrixAnswer y) => CompareMatrices(x, y),
                    (MatrixAnswer x, BracketedAnswer y) => VectorAgainstTuple(x, y),
                    (BracketedAnswer x, MatrixAnswer y) => VectorAgainstTuple(y, x),
                    (ListAnswer or SetAnswer or UnionAnswer, ListAnswer or SetAnswer or UnionAnswer) => Unordered(Elements(a), Elements(b)),
                    // One value written several ways ("\boxed{15\frac{39}{40}} or \boxed{\frac{639}{40}}"): every form
                    // must equal the single value; one different form among them is a hedge, not an answer.
                    (ListAnswer x, ScalarAnswer) => x.Elements.All(e => Compare(e, b) is not null) ? "structure" : null,
                    (ScalarAnswer, ListAnswer y) => y.Elements.All(e => Compare(a, e) is not null) ? "structure" : null,
                    (SetAnswer { Elements.Count: 1 } x, ScalarAnswer) => Compare(x.Elements[0], b),
                    (ScalarAnswer, SetAnswer { Elements.Count: 1 } y) => Compare(a, y.Elements[0]),
                    _ => null,
                };
            }
            finally { budget.Exit(); }
        }

        static IReadOnlyList<AnswerNode> Elements(AnswerNode n) => n switch
        {
            ListAnswer l => l.Elements,
            SetAnswer s => s.Elements,
            UnionAnswer u => u.Parts,
            _ => [n],
        };

        string? Ordered(IReadOnlyList<AnswerNode> x, IReadOnlyList<AnswerNode> y)
        {
            if (x.Count != y.Count) return null;
            for (int i = 0; i < x.Count; i++)
                if (Compare(x[i], y[i]) is null) return null;
            return "structure";
        }

        /// <summary>Same number of elements and each one matched to a distinct equal one, in any order.</summary>
        string? Unordered(IReadOnlyList<AnswerNode> x, IReadOnlyList<AnswerNode> y)
        {
            if (x.Count != y.Count) return null;
            var used = new bool[y.Count];
            var matched = new bool[x.Count];
            // Identical texts first (a dictionary pass), so that long lists in another order stay linear.
            var byText = new Dictionary<string, Stack<int>>(StringComparer.Ordinal);
            for (int j = y.Count - 1; j >= 0; j--)
                if (y[j] is ScalarAnswer sy)
                {
                    string key = Canonical(sy.Latex);
                    if (!byText.TryGetValue(key, out var slots)) byText[key] = slots = new Stack<int>();
                    slots.Push(j);
                }
            for (int i = 0; i < x.Count; i++)
            {
                budget.Step();
                if (x[i] is ScalarAnswer sx && byText.TryGetValue(Canonical(sx.Latex), out var slots) && slots.Count > 0)
                {
                    used[slots.Pop()] = true;
                    matched[i] = true;
                }
            }
            for (int i = 0; i < x.Count; i++)
            {
                if (matched[i]) continue;
                var element = x[i];
                int match = -1;
                for (int j = 0; j < y.Count && match < 0; j++)
                    if (!used[j] && Compare(element, y[j]) is not null) match = j;
                if (match < 0) return null;
                used[match] = true;
            }
            return "structure";
        }

        string? CompareMatrices(MatrixAnswer x, MatrixAnswer y)
        {
            if (x.Rows.Count != y.Rows.Count || x.Columns != y.Columns) return null;
            for (int r = 0; r < x.Rows.Count; r++)
                if (Ordered(x.Rows[r], y.Rows[r]) is null) return null;
            return "structure";
        }

        /// <summary>A column or row vector written as a matrix equals the same tuple written in parentheses or brackets.</summary>
        string? VectorAgainstTuple(MatrixAnswer m, BracketedAnswer t)
        {
            if (!(t.Open == '(' && t.Close == ')' || t.Open == '[' && t.Close == ']')) return null;
            IReadOnlyList<AnswerNode>? vector = m.Columns == 1 ? m.Rows.Select(r => r[0]).ToList() : m.Rows.Count == 1 ? m.Rows[0] : null;
            return vector is null ? null : Ordered(vector, t.Elements);
        }

        /// <summary>
        /// "x = 3" against "3": an equation whose left side only names the answer ("x", "f(x)", "k") is graded by its
        /// right side. Any other equation is not equal to a bare value ("2x + 1 - y = 0" is not "2x + 1").
        /// </summary>
        string? EquationAgainstValue(EquationAnswer equation, AnswerNode value, bool predictedIsEquation)
        {
            bool named = equation.Parts.Count == 2 && NamesTheAnswer(equation.Parts[0], equation.Parts[1]);
            // "\frac{1}{2} = \frac{10}{9}" or "3 \cdot 4 = 12" in a prediction: a computation whose last value is the
            // answer (Math-Verify reads the last "=" too). Only when every earlier side is a constant: "2x + z = 1" is
            // an equation, not the value 1.
            bool computed = predictedIsEquation && equation.Parts.Take(equation.Parts.Count - 1).All(IsConstant);
            if (!named && !computed) return null;
            var right = AnswerStructure.Parse(equation.Parts[^1], budget);
            return predictedIsEquation ? Compare(right, value) : Compare(value, right);
        }

        /// <summary>
        /// The left side only names what the right side gives: a name ("x", "AB", "f(x)"), or a tuple of names
        /// matching a tuple of as many values ("(p,q)=(3,2)").
        /// </summary>
        bool NamesTheAnswer(string left, string right)
        {
            if (AnswerStructure.IsSimpleName(left)) return true;
            if (TopLevel.Enclosed(left, budget) is not { Open: "(", Close: ")" } names) return false;
            var parts = TopLevel.Split(names.Inner, [","], budget).Parts;
            if (parts.Count < 2 || !parts.All(AnswerStructure.IsSimpleName)) return false;
            return TopLevel.Enclosed(right, budget) is { Open: "(" } values && TopLevel.Split(values.Inner, [","], budget).Parts.Count == parts.Count;
        }

        /// <summary>
        /// Two equations are equal when their sides are equal in order, or when (left - right) of one is a non-zero
        /// constant multiple of the other's at random points: "y = 2x + 1" equals "2x + 1 - y = 0" and "2y = 4x + 2".
        /// </summary>
        string? CompareEquations(EquationAnswer x, EquationAnswer y)
        {
            if (x.Parts.Count == y.Parts.Count)
            {
                int equalParts = 0;
                bool equalNonZeroPart = false;
                for (int i = 0; i < x.Parts.Count; i++)
                    if (Compare(AnswerStructure.Parse(x.Parts[i], budget), AnswerStructure.Parse(y.Parts[i], budget)) is not null)
                    {
                        equalParts++;
                        equalNonZeroPart |= !IsZero(x.Parts[i]);
                    }
                if (equalParts == x.Parts.Count) return "structure";
                // One side the same (and not 0) and another different is a different equation ("MR = SRMC" vs
                // "MR = SRMC + 1"): scaling both sides by c ≠ 1 cannot leave a non-zero side unchanged, so the
                // proportional test below is not asked (in doubles it could miss a small term next to a large one).
                if (equalNonZeroPart) return null;
            }
            if (!TryResidual(x, out var rx) || !TryResidual(y, out var ry)) return null;
            return Proportional(rx, ry) ? "symbolic" : null;
        }

        bool IsConstant(string side)
        {
            if (!ExpressionParser.TryParse(side, budget, out var e)) return false;
            var variables = new SortedSet<string>(StringComparer.Ordinal);
            CollectVariables(e, variables);
            return variables.Count == 0;
        }

        bool IsZero(string side) =>
            ExpressionParser.TryParse(side, budget, out var e) && ExactEvaluator.TryEvaluate(e, options.MaxExactBits, budget) is { IsZero: true };

        bool TryResidual(EquationAnswer e, out Expr residual)
        {
            residual = null!;
            if (!ExpressionParser.TryParse(e.Parts[0], budget, out var left) || !ExpressionParser.TryParse(e.Parts[^1], budget, out var right)) return false;
            residual = new BinaryExpr('-', left, right);
            return true;
        }

        bool PercentIsValue => PredictedPercentIsValue(predicted, gold, options);

        string? CompareScalars(string p, string g)
        {
            // Equal texts with a valued % on the prediction ("25\%" against "25") are compared as numbers below.
            if (!PercentIsValue && Canonical(p) == Canonical(g)) return "text";
            if (Choice(p) is { } pc && Choice(g) is not { Value.Length: > 0 }) return ChoiceAgainst(pc, g);
            if (Choice(g) is { } gc && Choice(p) is not { Value.Length: > 0 }) return ChoiceAgainst(gc, p);
            // Two words ("Evelyn", "east") compare letter by letter, case-insensitively. A word against anything else
            // is different: "Paris" against "Paris2" or "SRMC" against "SRMC+1" must never lose the extra characters.
            bool pWord = IsWord(p), gWord = IsWord(g);
            if (pWord && gWord)
                return !PercentIsValue && string.Equals(Letters(p), Letters(g), StringComparison.OrdinalIgnoreCase) ? "text" : null;
            if (pWord != gWord) return null;
            if (!ExpressionParser.TryParse(p, budget, out var pe) || !ExpressionParser.TryParse(g, budget, out var ge)) return null;
            var variables = new SortedSet<string>(StringComparer.Ordinal);
            CollectVariables(pe, variables);
            CollectVariables(ge, variables);
            // A % on an expression with variables has no value reading here; only a plain number can be x/100.
            if (variables.Count > 0) return !PercentIsValue && SameAtRandomPoints(pe, ge, variables) ? "symbolic" : null;
            return CompareNumbers(pe, ge);
        }

        /// <summary>
        /// A multiple-choice answer with its value, "(B) 27" (from "\textbf{(B)}\ 27"): equal to the letter ("B",
        /// "(B)") or to the value ("27"), whichever the other side gives.
        /// </summary>
        string? ChoiceAgainst((char Letter, string Value) choice, string other)
        {
            string bare = other.Trim().TrimStart('(').TrimEnd(')').Trim();
            if (bare.Length == 1 && char.IsAsciiLetterUpper(bare[0])) return bare[0] == choice.Letter ? "text" : null;
            return choice.Value.Length > 0 ? Compare(AnswerStructure.Parse(choice.Value, budget), AnswerStructure.Parse(other, budget)) : null;
        }

        static (char Letter, string Value)? Choice(string s)
        {
            var m = ChoicePattern().Match(s.Trim());
            if (!m.Success) return null;
            char letter = m.Groups[1].Success ? m.Groups[1].Value[0] : m.Groups[2].Value[0];
            // After "C." the rest is working, not a value the answer must equal: only the letter counts.
            return (letter, m.Groups[2].Success ? "" : m.Groups[3].Value.Trim());
        }

        /// <summary>A word answer such as "Evelyn" or "east": three or more letters and nothing else.</summary>
        static bool IsWord(string s)
        {
            int letters = 0;
            foreach (char c in s)
            {
                if (char.IsAsciiLetter(c)) letters++;
                else if (c != ' ') return false;
            }
            return letters >= 3;
        }

        static string Letters(string s) => string.Concat(s.Where(char.IsAsciiLetter));

        string? CompareNumbers(Expr pe, Expr ge)
        {
            var pv = Candidates(pe, predicted, gold);
            var gv = Candidates(ge, gold, predicted);
            bool infinite = ContainsInfinity(pe) && ContainsInfinity(ge);
            foreach (var a in pv)
                foreach (var b in gv)
                    if (NumbersEqual(a, b, infinite) is { } method) return method;
            return null;
        }

        /// <summary>
        /// The values an answer may mean: itself; x/100 when it carried %. A gold's % allows both readings (golds often
        /// drop or keep the % of a "what percent" question); a prediction's % allows both only when the gold carries one
        /// too or the question asks for a percentage (<see cref="GradingOptions.PercentQuestion"/>), else it means x/100
        /// alone, as Math-Verify reads it. x·π/180 when only it carried degrees. A bare number never means x·100 or
        /// x/100 (Qwen2.5-Math's include_percentage does, which makes 8 equal 800).
        /// </summary>
        List<(Rational? Exact, Complex Value)> Candidates(Expr e, NormalizedAnswer self, NormalizedAnswer other)
        {
            Rational? exact = ExactEvaluator.TryEvaluate(e, options.MaxExactBits, budget);
            Complex value = exact is { } r ? r.ToDouble() : ComplexEvaluator.Evaluate(e, EmptyVariables, budget);
            var list = new List<(Rational?, Complex)>();
            if (!(ReferenceEquals(self, predicted) && PercentIsValue)) list.Add((exact, value));
            if (self.Percent) list.Add((exact is { } x ? x / Rational.FromInteger(100) : null, value / 100));
            if (self.Degrees && !other.Degrees) list.Add((null, value * Math.PI / 180));
            return list;
        }

        string? NumbersEqual((Rational? Exact, Complex Value) a, (Rational? Exact, Complex Value) b, bool infinityAllowed)
        {
            if (a.Exact is { } x && b.Exact is { } y)
            {
                if (x == y) return "exact";
                if (options.IntegersExact && options.AbsoluteTolerance == 0 && (x.IsInteger || y.IsInteger)) return null;
                // The tolerance applied in exact arithmetic: 1/2004! and 1/2006! both round to 0.0 as doubles, but
                // as rationals they differ by a factor of 4 million.
                if (ExactlyWithinTolerance(x, y)) return "numeric";
                return options.AbsoluteTolerance > 0 && (x - y).ToDouble() is var d && Math.Abs(d) <= options.AbsoluteTolerance ? "numeric" : null;
            }
            Complex u = a.Value, v = b.Value;
            if (!IsFinite(u) || !IsFinite(v)) return infinityAllowed && u == v ? "numeric" : null;
            // Doubles below 1e-290 have lost their digits (or underflowed to 0): two such values cannot be told apart,
            // so they are not called equal. A value known exactly to be 0 is still 0.
            if (Underflowed(u, a.Exact) || Underflowed(v, b.Exact)) return null;
            double difference = (u - v).Magnitude;
            double scale = Math.Max(u.Magnitude, v.Magnitude);
            // Relative by default: physics answers such as 4.6e-24 must not equal 1.3e-27 through an absolute floor.
            // An absolute tolerance comes only from the problem itself (gold.tolerance_field).
            return difference <= options.RelativeTolerance * scale || difference <= options.AbsoluteTolerance ? "numeric" : null;
        }

        bool ExactlyWithinTolerance(Rational x, Rational y)
        {
            if (options.RelativeTolerance <= 0) return false;
            var scale = x.Sign < 0 ? -x : x;
            var other = y.Sign < 0 ? -y : y;
            if (other.Numerator * scale.Denominator > scale.Numerator * other.Denominator) scale = other;
            var difference = x - y;
            if (difference.Sign < 0) difference = -difference;
            var tolerance = ToleranceAsRational(options.RelativeTolerance);
            return difference.Numerator * tolerance.Denominator * scale.Denominator <= tolerance.Numerator * scale.Numerator * difference.Denominator;
        }

        /// <summary>1e-4 as exactly 1/10000 (the tolerance is a decimal setting; its double's binary expansion is noise).</summary>
        static Rational ToleranceAsRational(double t) =>
            Rational.TryParseDecimal(t.ToString("R", System.Globalization.CultureInfo.InvariantCulture), 400, out var r) ? r : new Rational(1, 10000);

        static bool Underflowed(Complex value, Rational? exact) => value.Magnitude < 1e-290 && exact is not { IsZero: true };

        /// <summary>
        /// Both expressions agree at the same random rational points. Where both are rational there (polynomials,
        /// rational functions, integer powers) they are compared exactly, so no coefficient, exponent or added constant
        /// can hide in rounding; elsewhere in doubles within <see cref="GradingOptions.SymbolicTolerance"/>. Points where
        /// either is undefined are skipped; too few defined points is "not equal".
        /// </summary>
        bool SameAtRandomPoints(Expr pe, Expr ge, SortedSet<string> variables)
        {
            int valid = 0;
            foreach (var point in Points(variables, UsesIntegerFunctions(pe) || UsesIntegerFunctions(ge)))
            {
                var a = AtPoint(pe, point);
                var b = AtPoint(ge, point);
                if (a.Exact is { } x && b.Exact is { } y)
                {
                    if (x != y) return false;
                }
                else
                {
                    if (!IsFinite(a.Value) || !IsFinite(b.Value)) continue;
                    if (!Close(a.Value, b.Value)) return false;
                }
                if (++valid >= options.RandomPoints) return true;
            }
            return valid >= (options.RandomPoints + 1) / 2;
        }

        /// <summary>r1 = c·r2 for one non-zero constant c at every random point (exactly where both are rational).</summary>
        bool Proportional(Expr r1, Expr r2)
        {
            var variables = new SortedSet<string>(StringComparer.Ordinal);
            CollectVariables(r1, variables);
            CollectVariables(r2, variables);
            if (variables.Count == 0) return false;
            Rational? exactRatio = null;
            Complex? ratio = null;
            int valid = 0;
            foreach (var point in Points(variables, UsesIntegerFunctions(r1) || UsesIntegerFunctions(r2)))
            {
                var a = AtPoint(r1, point);
                var b = AtPoint(r2, point);
                if (a.Exact is { } x && b.Exact is { } y)
                {
                    if (x.IsZero != y.IsZero) return false;
                    if (!x.IsZero)
                    {
                        exactRatio ??= x / y;
                        if (x != exactRatio.Value * y) return false;
                    }
                }
                else
                {
                    if (!IsFinite(a.Value) || !IsFinite(b.Value)) continue;
                    bool aZero = a.Value == Complex.Zero, bZero = b.Value == Complex.Zero;
                    if (aZero != bZero) return false;
                    if (!aZero)
                    {
                        ratio ??= a.Value / b.Value;
                        if (!Close(a.Value, ratio.Value * b.Value)) return false;
                    }
                }
                if (++valid >= options.RandomPoints) break;
            }
            // An exact ratio and a floating one must agree too (mixed points).
            if (exactRatio is { } er && ratio is { } fr && !Close(er.ToDouble(), fr)) return false;
            return valid >= (options.RandomPoints + 1) / 2;
        }

        (Rational? Exact, Complex Value) AtPoint(Expr e, Dictionary<string, Rational> point)
        {
            var substituted = VariableSubstitution.Substitute(e, point, budget);
            if (ExactEvaluator.TryEvaluate(substituted, options.MaxExactBits, budget) is { } exact) return (exact, exact.ToDouble());
            var values = new Dictionary<string, Complex>(point.Count, StringComparer.Ordinal);
            foreach (var (name, value) in point) values[name] = value.ToDouble();
            return (null, ComplexEvaluator.Evaluate(e, values, budget));
        }

        bool Close(Complex a, Complex b) =>
            (a - b).Magnitude <= options.SymbolicTolerance * Math.Max(a.Magnitude, b.Magnitude);

        /// <summary>
        /// Deterministic points: rationals n/d in [0.5, 2.5) with d up to 97 (positive, as lengths and physical
        /// quantities are; so \sqrt{x^2} equals x), or integers 2..12 when floor, ceil, factorials or binomials are involved.
        /// </summary>
        IEnumerable<Dictionary<string, Rational>> Points(SortedSet<string> variables, bool integers)
        {
            var random = new Random(options.Seed);
            for (int attempt = 0; attempt < options.RandomPoints * 3; attempt++)
            {
                var point = new Dictionary<string, Rational>(StringComparer.Ordinal);
                foreach (string v in variables)
                {
                    if (integers) { point[v] = Rational.FromInteger(random.Next(2, 13)); continue; }
                    int d = random.Next(11, 98);
                    point[v] = new Rational(random.Next(d / 2, 5 * d / 2), d);
                }
                yield return point;
            }
        }

        static readonly Dictionary<string, Complex> EmptyVariables = new();

        static bool IsFinite(Complex c) => double.IsFinite(c.Real) && double.IsFinite(c.Imaginary);

        static void CollectVariables(Expr e, SortedSet<string> into)
        {
            switch (e)
            {
                case VariableExpr v: into.Add(v.Name); break;
                case NegateExpr n: CollectVariables(n.Operand, into); break;
                case BinaryExpr b: CollectVariables(b.Left, into); CollectVariables(b.Right, into); break;
                case FunctionExpr f:
                    CollectVariables(f.Argument, into);
                    if (f.Extra is not null) CollectVariables(f.Extra, into);
                    break;
            }
        }

        static bool UsesIntegerFunctions(Expr e) => e switch
        {
            FunctionExpr f => f.Name is "floor" or "ceil" or "factorial" or "binom" || UsesIntegerFunctions(f.Argument) || f.Extra is not null && UsesIntegerFunctions(f.Extra),
            BinaryExpr b => UsesIntegerFunctions(b.Left) || UsesIntegerFunctions(b.Right),
            NegateExpr n => UsesIntegerFunctions(n.Operand),
            _ => false,
        };

        static bool ContainsInfinity(Expr e) => e switch
        {
            ConstantExpr { Constant: MathConstant.Infinity } => true,
            BinaryExpr b => ContainsInfinity(b.Left) || ContainsInfinity(b.Right),
            NegateExpr n => ContainsInfinity(n.Operand),
            FunctionExpr f => ContainsInfinity(f.Argument),
            _ => false,
        };
    }
}
