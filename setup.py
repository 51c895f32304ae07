"""The optional C extension (the classifier's scan kernel); everything else is in pyproject.toml.

`optional=True`: where no C compiler is found the build goes on without it, and classify uses the
pure-Python scan (same results; a JSONL batch about half as fast, see src/roleplan/_scan.c).
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
