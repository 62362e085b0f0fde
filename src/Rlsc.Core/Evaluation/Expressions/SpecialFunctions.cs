namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>Gamma and binomial coefficients on real arguments, for "n!" and "\binom{n}{k}" with variables.</summary>
public static class SpecialFunctions
{
    // Lanczos approximation, g = 7, n = 9 (Numerical Recipes' coefficients): ~15 significant digits.
    static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static double Gamma(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x == Math.Floor(x))
        {
            if (x <= 0) return double.NaN;
            if (x <= 171)
            {
                double product = 1;
                for (int i = 2; i < (int)x; i++) product *= i;
                return product;
            }
            return double.PositiveInfinity;
        }
        if (x < 0.5) return Math.PI / (Math.Sin(Math.PI * x) * Gamma(1 - x));
        if (x > 171.6) return double.PositiveInfinity;
        x -= 1;
        double a = Lanczos[0];
        double t = x + 7.5;
        for (int i = 1; i < Lanczos.Length; i++) a += Lanczos[i] / (x + i);
        return Math.Sqrt(2 * Math.PI) * Math.Pow(t, x + 0.5) * Math.Exp(-t) * a;
    }

    /// <summary>C(n, k): the falling-factorial product for integer k (any real n), Gamma ratios otherwise.</summary>
    public static double Binomial(double n, double k)
    {
        if (k == Math.Floor(k))
        {
            if (k < 0) return 0;
            if (k > 10_000) return Gamma(n + 1) / (Gamma(k + 1) * Gamma(n - k + 1));
            double result = 1;
            for (int i = 0; i < (int)k; i++) result = result * (n - i) / (i + 1);
            return result;
        }
        return Gamma(n + 1) / (Gamma(k + 1) * Gamma(n - k + 1));
    }
}
