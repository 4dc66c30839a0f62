namespace Vigil.Evaluation.Calibration;

/// <summary>The target a calibration was held to (<see cref="CalibrationOptions"/>).</summary>
/// <param name="Agreement">Which agreement of the scores counts.</param>
/// <param name="MinAgreement">Agreement must be above this.</param>
/// <param name="MinKappa">Kappa must be at least this.</param>
public sealed record CalibrationTarget(AgreementMeasure Agreement, double MinAgreement, double MinKappa);
