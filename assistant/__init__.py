"""电商惠企政策问答助手: policy Q&A over local e-commerce support policies."""

__version__ = "0.1.0"
