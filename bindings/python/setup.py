"""Builds the Python package `youth` against an installed libyouth, for virtual environments.

The autotools build (`make install`) installs the same package next to the library; this file
is for an interpreter of your own (a virtualenv, another Python) once libyouth is installed:

    PKG_CONFIG_PATH=PREFIX/lib/pkgconfig python3 -m pip install --no-build-isolation bindings/python

pkg-config finds the headers and the library; SWIG (Debian: swig) writes the wrapper, which is
compiled with the interpreter's headers (python3-dev).  `--no-build-isolation` uses the
setuptools and wheel already installed (Debian: python3-setuptools python3-wheel; in a
virtualenv made with --system-site-packages, or with them installed in it), so nothing is
fetched from the network.  docs/python.md, "Building and installing", says more.
"""

import os
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
SWIG_OUT = os.path.join("build", "swig")


def pkgconfig(*options):
    """The words pkg-config prints for libyouth, or a clear error when it is not installed."""
    try:
        out = subprocess.run(["pkg-config", *options, "libyouth"], check=True,
                             capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise SystemExit("pkg-config not found: install the Debian package pkg-config")
    except subprocess.CalledProcessError as e:
        raise SystemExit("libyouth not found by pkg-config (%s): install libyouth first and "
                         "point PKG_CONFIG_PATH at PREFIX/lib/pkgconfig" % e.stderr.strip())
    return out.split()


def flags(prefix, words):
    return [w[len(prefix):] for w in words if w.startswith(prefix)]


def run_swig():
    """SWIG writes the C wrapper and the proxy module capi.py in one run, before either is
    needed (build_py copies capi.py, build_ext compiles the wrapper)."""
    wrapper = os.path.join(SWIG_OUT, "youth_wrap.c")
    if not os.path.exists(wrapper):
        os.makedirs(SWIG_OUT, exist_ok=True)
        subprocess.run(["swig", "-python", "-threads", *pkgconfig("--cflags-only-I"),
                        "-outdir", SWIG_OUT, "-o", wrapper, "youth.i"], check=True)
    return wrapper


class BuildPy(build_py):
    def run(self):
        run_swig()
        super().run()
        shutil.copy(os.path.join(SWIG_OUT, "capi.py"),
                    os.path.join(self.build_lib, "youth", "capi.py"))


class BuildExt(build_ext):
    def run(self):
        run_swig()
        super().run()


os.chdir(HERE)
libdirs = flags("-L", pkgconfig("--libs-only-L"))
setup(
    name="youth",
    version=pkgconfig("--modversion")[0],
    description="Python package of libyouth, the registry of a youth employability programme",
    package_dir={"": "src"},
    packages=["youth"],
    ext_modules=[Extension(
        "youth._capi",
        sources=[os.path.join(SWIG_OUT, "youth_wrap.c")],
        include_dirs=flags("-I", pkgconfig("--cflags-only-I")),
        library_dirs=libdirs,
        runtime_library_dirs=libdirs,   # a prefix outside the loader's path still works
        libraries=flags("-l", pkgconfig("--libs-only-l")),
        extra_compile_args=["-fno-strict-aliasing"],
    )],
    cmdclass={"build_py": BuildPy, "build_ext": BuildExt},
    python_requires=">=3.9",
)
