using Vigil.Evaluation.Calibration;

namespace Vigil.Tests.Evaluation.Calibration;

public sealed class ConfusionMatrixTests
{
    // Human and judge scores of 20 answers; the expected figures below are scikit-learn 1.2's
    // cohen_kappa_score(human, judge) = 7/15 and cohen_kappa_score(human, judge, weights="quadratic").
    private static readonly int[] Human = [5, 4, 4, 3, 5, 2, 1, 4, 5, 3, 3, 4, 2, 5, 4, 1, 3, 4, 5, 4];
    private static readonly int[] Judge = [5, 4, 3, 3, 4, 2, 2, 4, 5, 4, 3, 5, 1, 5, 4, 2, 3, 4, 4, 4];

    [Theory]
    // Wikipedia's worked examples of Cohen's kappa: (both yes, A yes B no, A no B yes, both no) → kappa.
    [InlineData(20, 5, 10, 15, 0.4)]
    [InlineData(45, 15, 25, 15, 0.13043478260869568)]
    [InlineData(25, 35, 5, 35, 0.2592592592592593)]
    public void CohenKappa_TextbookTwoByTwo_MatchesThePublishedValue(int yesYes, int yesNo, int noYes, int noNo, double expected)
    {
        var matrix = new ConfusionMatrix(2);
        Add(matrix, 1, 1, yesYes);
        Add(matrix, 1, 0, yesNo);
        Add(matrix, 0, 1, noYes);
        Add(matrix, 0, 0, noNo);

        Assert.Equal(expected, matrix.CohenKappa!.Value, 14);
        Assert.Equal((double)(yesYes + noNo) / matrix.Total, matrix.Agreement!.Value, 15);
    }

    [Fact]
    public void Kappas_FivePointScores_MatchScikitLearn()
    {
        var matrix = Matrix(Human, Judge);

        Assert.Equal(7.0 / 15, matrix.CohenKappa!.Value, 14);
        Assert.Equal(0.8568872987477638, matrix.QuadraticWeightedKappa!.Value, 14);
        Assert.Equal(12.0 / 20, matrix.Agreement);
        Assert.Equal(1.0, matrix.WithinOneAgreement);
        // scikit-learn's confusion_matrix(human, judge, labels=[1, 2, 3, 4, 5]).
        long[][] expected = [[0, 2, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 3, 1, 0], [0, 0, 1, 5, 1], [0, 0, 0, 2, 3]];
        Assert.Equal(expected, matrix.ToArray());
    }

    [Fact]
    public void Kappas_RandomScores_EqualIndependentFormulas()
    {
        var random = new Random(41);
        var human = new int[500];
        var judge = new int[500];
        for (var i = 0; i < human.Length; i++)
        {
            human[i] = random.Next(1, 6);
            judge[i] = Math.Clamp(human[i] + random.Next(-2, 3) * (random.NextDouble() < 0.4 ? 1 : 0), 1, 5);
        }

        var matrix = Matrix(human, judge);

        // Cohen's kappa from the items: p_o the share of equal pairs, p_e from each rater's share of each score.
        var po = human.Zip(judge).Count(p => p.First == p.Second) / 500.0;
        var pe = Enumerable.Range(1, 5).Sum(s => human.Count(h => h == s) / 500.0 * (judge.Count(j => j == s) / 500.0));
        Assert.Equal((po - pe) / (1 - pe), matrix.CohenKappa!.Value, 12);

        // Quadratic-weighted kappa equals 2·cov(x, y) / (var x + var y + (mean x − mean y)²) with population moments.
        double mh = human.Average(), mj = judge.Average();
        var cov = human.Zip(judge).Average(p => (p.First - mh) * (p.Second - mj));
        var vh = human.Average(h => (h - mh) * (h - mh));
        var vj = judge.Average(j => (j - mj) * (j - mj));
        Assert.Equal(2 * cov / (vh + vj + ((mh - mj) * (mh - mj))), matrix.QuadraticWeightedKappa!.Value, 12);

        Assert.Equal(human.Zip(judge).Count(p => Math.Abs(p.First - p.Second) <= 1) / 500.0, matrix.WithinOneAgreement!.Value, 15);
    }

    [Fact]
    public void Kappas_TwoScoresUsed_MatchScikitLearn()
    {
        // cohen_kappa_score([4,4,5,5,5,4], [4,5,5,5,4,4]) = 1/3, quadratic too (two adjacent categories).
        var matrix = Matrix([4, 4, 5, 5, 5, 4], [4, 5, 5, 5, 4, 4]);

        Assert.Equal(1.0 / 3, matrix.CohenKappa!.Value, 14);
        Assert.Equal(1.0 / 3, matrix.QuadraticWeightedKappa!.Value, 14);
    }

    [Fact]
    public void Kappas_BothRatersOneSameCategory_Undefined()
    {
        var matrix = Matrix([5, 5, 5], [5, 5, 5]);

        Assert.Equal(1.0, matrix.Agreement);
        Assert.Null(matrix.CohenKappa);
        Assert.Null(matrix.QuadraticWeightedKappa);
    }

    [Fact]
    public void Kappas_OppositeRaters_Negative()
    {
        var matrix = Matrix([1, 5, 1, 5], [5, 1, 5, 1]);

        Assert.Equal(-1.0, matrix.CohenKappa);
        Assert.Equal(-1.0, matrix.QuadraticWeightedKappa);
    }

    [Fact]
    public void Measures_Empty_Null()
    {
        var matrix = new ConfusionMatrix(5);

        Assert.Null(matrix.Agreement);
        Assert.Null(matrix.WithinOneAgreement);
        Assert.Null(matrix.CohenKappa);
        Assert.Null(matrix.QuadraticWeightedKappa);
    }

    [Fact]
    public void Add_OutOfRange_Throws()
    {
        var matrix = new ConfusionMatrix(5);

        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(1));
    }

    private static ConfusionMatrix Matrix(int[] human, int[] judge)
    {
        var matrix = new ConfusionMatrix(5);
        for (var i = 0; i < human.Length; i++)
        {
            matrix.Add(human[i] - 1, judge[i] - 1);
        }

        return matrix;
    }

    private static void Add(ConfusionMatrix matrix, int human, int judge, int times)
    {
        for (var i = 0; i < times; i++)
        {
            matrix.Add(human, judge);
        }
    }
}
