"""Makes heron.usdz, the iPhone (AR Quick Look) copy of heron.glb: the same parts, triangles and
colours as make_heron_glb.py, written as a USD stage with UsdPreviewSurface materials and packed
the way ARKit reads it (a .usdc layer first in an uncompressed zip).

USD's own library writes it, as Apple's tools do. It is needed only to make the file again:

    python3 -m venv /tmp/usd && /tmp/usd/bin/pip install usd-core==26.11
    /tmp/usd/bin/python data/rivers/models/make_heron_usdz.py

Units are metres with +Y up, as in the glTF copy."""

import sys
import tempfile
from pathlib import Path

from pxr import Gf, Sdf, Usd, UsdGeom, UsdShade, UsdUtils

sys.path.insert(0, str(Path(__file__).parent))
from make_heron_glb import PARTS  # noqa: E402 - the one description of the heron's shape


def part_add(stage: Usd.Stage, name: str, colour: tuple, triangles: list) -> None:
    """One part as a mesh of its triangles, with face-varying normals and its own material."""
    mesh = UsdGeom.Mesh.Define(stage, f"/Heron/{name}")
    mesh.CreatePointsAttr([Gf.Vec3f(*position) for position, _normal in triangles])
    mesh.CreateFaceVertexCountsAttr([3] * (len(triangles) // 3))
    mesh.CreateFaceVertexIndicesAttr(list(range(len(triangles))))
    mesh.CreateNormalsAttr([Gf.Vec3f(*normal) for _position, normal in triangles])
    mesh.SetNormalsInterpolation(UsdGeom.Tokens.faceVarying)
    mesh.CreateSubdivisionSchemeAttr(UsdGeom.Tokens.none)
    xs, ys, zs = zip(*(position for position, _normal in triangles), strict=True)
    mesh.CreateExtentAttr([Gf.Vec3f(min(xs), min(ys), min(zs)), Gf.Vec3f(max(xs), max(ys), max(zs))])

    material = UsdShade.Material.Define(stage, f"/Heron/Materials/{name}")
    shader = UsdShade.Shader.Define(stage, f"/Heron/Materials/{name}/Surface")
    shader.CreateIdAttr("UsdPreviewSurface")
    shader.CreateInput("diffuseColor", Sdf.ValueTypeNames.Color3f).Set(Gf.Vec3f(*colour[:3]))
    shader.CreateInput("metallic", Sdf.ValueTypeNames.Float).Set(0.0)
    shader.CreateInput("roughness", Sdf.ValueTypeNames.Float).Set(0.8)
    material.CreateSurfaceOutput().ConnectToSource(shader.ConnectableAPI(), "surface")
    UsdShade.MaterialBindingAPI.Apply(mesh.GetPrim()).Bind(material)


def main() -> None:
    out = Path(__file__).parent / "heron.usdz"
    with tempfile.TemporaryDirectory() as folder:
        layer = Path(folder) / "heron.usdc"
        stage = Usd.Stage.CreateNew(str(layer))
        UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.y)
        UsdGeom.SetStageMetersPerUnit(stage, 1.0)
        root = UsdGeom.Xform.Define(stage, "/Heron")
        stage.SetDefaultPrim(root.GetPrim())
        stage.SetMetadata("comment", "Grey heron (Ardea cinerea), made by make_heron_usdz.py")
        for name, (colour, triangles) in PARTS.items():
            part_add(stage, name, colour, triangles)
        stage.GetRootLayer().Save()
        if not UsdUtils.CreateNewARKitUsdzPackage(Sdf.AssetPath(str(layer)), str(out)):
            raise SystemExit("USD could not pack the heron")
    print(f"{out.name}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
