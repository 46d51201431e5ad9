"""What the tests share (no tests here): test modules and conftest files import shared code from this
package only, never from one another (``tests/test_layout.py`` checks)."""
