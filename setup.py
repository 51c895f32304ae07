"""The optional C extension (the classifier's segment scan); everything else is in pyproject.toml.

`optional=True`: where no C compiler is found the build goes on without it, and classify uses the
pure-Python scan (same results, about three times slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "roleplan._scan",
            sources=["src/roleplan/_scan.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
