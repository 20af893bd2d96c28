"""The password rule of 等保 level 3: long enough, and mixed from several kinds of character."""

from django.core.exceptions import ValidationError

CLASSES = ("小写字母", "大写字母", "数字", "符号")


def character_classes(password: str) -> set[str]:
    """Which of the four kinds the password uses; anything that is not a letter with a case or
    a digit (punctuation, a space, a Chinese character) counts as a symbol."""
    found = set()
    for char in password:
        if char.islower():
            found.add("小写字母")
        elif char.isupper():
            found.add("大写字母")
        elif char.isdigit():
            found.add("数字")
        else:
            found.add("符号")
    return found


class PasswordStrengthValidator:
    """At least ``min_length`` characters from at least ``min_classes`` of the four kinds.

    Django's own MinimumLengthValidator is not used: its message has no Chinese translation
    in Django 5.2, and the two rules read better as one."""

    def __init__(self, min_length: int = 10, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"密码太短：至少需要 {self.min_length} 个字符（现在 {len(password)} 个）。",
                    code="password_too_short",
                )
            )
        used = character_classes(password)
        if len(used) < self.min_classes:
            errors.append(
                ValidationError(
                    f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类"
                    f"（现在只有{'、'.join(c for c in CLASSES if c in used) or '0 类'}）。",
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return (
            f"密码至少 {self.min_length} 个字符，且包含小写字母、大写字母、数字、符号中的"
            f"至少 {self.min_classes} 类。"
        )
